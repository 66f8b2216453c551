package dev.levee.cli;

import dev.levee.spi.UsageReports;
import dev.levee.store.Store;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code levee usage}: requests, tokens and exact spend from the ledger, grouped. */
@Command(name = "usage", header = "Show requests, tokens and spend from the usage ledger.")
final class UsageCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    StoreOptions store;
    @Option(names = "--group-by", defaultValue = "key", description = "key, team, user, route, model or day (default: ${DEFAULT-VALUE}).")
    String groupBy;
    @Option(names = "--from", description = "A UTC date (2026-12-01) or instant; default: 30 days before --to.")
    String from;
    @Option(names = "--to", description = "A UTC date or instant (exclusive); default: now.")
    String to;

    @Override
    public Integer call() {
        UsageReports.Query query;
        try {
            UsageReports.GroupBy by = UsageReports.GroupBy.valueOf(groupBy.trim().toUpperCase(java.util.Locale.ROOT));
            Instant end = to == null ? Instant.now() : time(to);
            query = new UsageReports.Query(by, from == null ? end.minus(Duration.ofDays(30)) : time(from), end);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new ErrorReporter.UsageProblem("--group-by must be key, team, user, route, model or day; --from and"
                    + " --to dates (2026-12-01) or instants, from before to");
        }
        try (Store s = store.open()) {
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-28s %10s %8s %14s %14s %16s%n", groupBy.toUpperCase(java.util.Locale.ROOT), "REQUESTS",
                    "ERRORS", "PROMPT_TOK", "COMPL_TOK", "COST_USD");
            for (UsageReports.Total t : s.reports().report(query)) {
                out.printf("%-28s %10d %8d %14d %14d %16s%n", t.group() == null ? "-" : t.group(), t.requests(),
                        t.errors(), t.promptTokens(), t.completionTokens(), t.costUsd().toPlainString());
            }
            out.flush();
        }
        return 0;
    }

    private static Instant time(String text) {
        return text.length() == 10 ? LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC) : Instant.parse(text);
    }
}
