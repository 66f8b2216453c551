package dev.levee.cli;

import dev.levee.spi.IssuedKey;
import dev.levee.spi.KeyLimits;
import dev.levee.spi.KeySpec;
import dev.levee.spi.VirtualKey;
import dev.levee.store.Store;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code levee keys create|list|revoke|rotate}: virtual keys, straight in levee's database. */
@Command(name = "keys", header = "Create, list, revoke and rotate virtual keys.",
        description = "Works on the database directly (the data directory, or storage.url of --config), so it"
                + " needs no running gateway; a running one sees a change within a second. Each change is"
                + " recorded in the audit log.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class,
                KeysCommand.Rotate.class})
final class KeysCommand {
    private KeysCommand() {
    }

    @Command(name = "create", header = "Create a key; its secret is printed once and stored nowhere.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        StoreOptions store;
        @Option(names = "--name", description = "What the key is for.")
        String name;
        @Option(names = "--team", description = "The team its spend counts for.")
        String team;
        @Option(names = "--user", description = "The person or service using it.")
        String user;
        @Option(names = "--route", paramLabel = "ROUTE", description = "A route it may use (repeat; default: all).")
        List<String> routes = List.of();
        @Option(names = "--expires-at", paramLabel = "INSTANT", description = "When it stops working, e.g. 2027-01-31T00:00:00Z.")
        String expiresAt;
        @Option(names = "--rpm") Integer rpm;
        @Option(names = "--tpm") Integer tpm;
        @Option(names = "--max-concurrent") Integer maxConcurrent;
        @Option(names = "--budget-usd") BigDecimal budgetUsd;
        @Option(names = "--budget-period", description = "day, week or month.") String budgetPeriod;
        @Option(names = "--priority", description = "critical, standard or batch.") String priority;

        @Override
        public Integer call() {
            KeySpec keySpec;
            try {
                var config = store.loadConfig();
                for (String r : routes) {
                    if (config.routes().get(r) == null) {
                        throw new ErrorReporter.UsageProblem("--route: no route named '" + r + "' (routes: "
                                + String.join(", ", config.routes().keySet()) + ")");
                    }
                }
                keySpec = new KeySpec(name, team, user, new LinkedHashSet<>(routes),
                        expiresAt == null ? null : Instant.parse(expiresAt),
                        new KeyLimits(rpm, tpm, maxConcurrent, budgetUsd, budgetPeriod, priority));
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new ErrorReporter.UsageProblem(e.getMessage());
            }
            try (Store s = store.open()) {
                IssuedKey issued = s.keys().create(keySpec, StoreOptions.actor());
                PrintWriter out = spec.commandLine().getOut();
                out.println(issued.secret());
                out.println(Style.dim("  id " + issued.key().id() + " — the key is shown only now: keep it safe"));
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "list", header = "List keys by id and visible prefix (never their secrets).")
    static final class ListKeys implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            try (Store s = store.open()) {
                PrintWriter out = spec.commandLine().getOut();
                out.printf("%-20s %-10s %-8s %-16s %-12s %-12s %s%n", "ID", "PREFIX", "STATUS", "NAME", "TEAM", "USER",
                        "ROUTES");
                Instant now = Instant.now();
                for (VirtualKey k : s.keys().list()) {
                    out.printf("%-20s %-10s %-8s %-16s %-12s %-12s %s%n", k.id(), k.prefix(),
                            k.revoked() ? "revoked" : k.expiredAt(now) ? "expired" : "active", dash(k.name()),
                            dash(k.team()), dash(k.user()), k.routes().isEmpty() ? "*" : String.join(",", k.routes()));
                }
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "revoke", header = "Revoke a key, for good.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        StoreOptions store;
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            try (Store s = store.open()) {
                if (s.keys().revoke(id, StoreOptions.actor()) == null) {
                    throw new ErrorReporter.UsageProblem("no key with id '" + id + "'");
                }
                spec.commandLine().getOut().println("revoked " + id);
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    @Command(name = "rotate", header = "Give a key a new secret; the old one works for the grace period.")
    static final class Rotate implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        StoreOptions store;
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--grace-seconds", defaultValue = "3600",
                description = "How long the old secret keeps working (default: ${DEFAULT-VALUE}).")
        long graceSeconds;

        @Override
        public Integer call() {
            if (graceSeconds < 0 || graceSeconds > Duration.ofDays(30).toSeconds()) {
                throw new ErrorReporter.UsageProblem("--grace-seconds must be in [0, 2592000]");
            }
            try (Store s = store.open()) {
                IssuedKey issued;
                try {
                    issued = s.keys().rotate(id, Duration.ofSeconds(graceSeconds), StoreOptions.actor());
                } catch (IllegalArgumentException e) {
                    throw new ErrorReporter.UsageProblem(e.getMessage());
                }
                if (issued == null) {
                    throw new ErrorReporter.UsageProblem("no key with id '" + id + "'");
                }
                spec.commandLine().getOut().println(issued.secret());
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }
}
