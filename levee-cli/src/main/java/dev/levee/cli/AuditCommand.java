package dev.levee.cli;

import dev.levee.store.AuditLog;
import dev.levee.store.Store;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code levee audit verify}: checks the audit log's hash chain. */
@Command(name = "audit", header = "Check the audit log.", subcommands = AuditCommand.Verify.class)
final class AuditCommand {
    private AuditCommand() {
    }

    @Command(name = "verify", header = "Check the audit log's hash chain; name the first edited, deleted or reordered row.",
            description = "Exit code 0 when the chain holds, 1 when it does not. With --head (as logged by the gateway"
                    + " every ten minutes) a log whose tail was cut after that head fails too.")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        StoreOptions store;
        @Option(names = "--head", paramLabel = "SEQ:HASH", description = "A head logged earlier, e.g. 42:9f86d0…")
        String head;

        @Override
        public Integer call() {
            AuditLog.Head expected = head == null ? null : parse(head);
            try (Store s = store.open()) {
                AuditLog.Verification v = s.audit().verify(expected);
                PrintWriter out = spec.commandLine().getOut();
                if (v.ok()) {
                    out.println(Style.ok("audit log intact: " + v.rowsChecked() + " rows, head " + v.head()));
                    out.flush();
                    return 0;
                }
                out.println(Style.error("audit log broken at row " + v.badSeq() + ": " + v.problem()));
                out.println("  the chain holds up to row " + v.head().seq() + " (hash " + v.head().hash() + ")");
                out.flush();
                return LeveeCli.EXIT_FAILURE;
            }
        }

        private static AuditLog.Head parse(String text) {
            int colon = text.indexOf(':');
            try {
                String hash = text.substring(colon + 1);
                if (colon < 1 || !hash.matches("[0-9a-f]{64}")) {
                    throw new IllegalArgumentException();
                }
                return new AuditLog.Head(Long.parseLong(text.substring(0, colon)), hash);
            } catch (IllegalArgumentException e) {
                throw new ErrorReporter.UsageProblem("--head must be SEQ:HASH (a number, a colon and 64 hex digits)");
            }
        }
    }
}
