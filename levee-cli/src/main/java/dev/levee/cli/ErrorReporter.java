package dev.levee.cli;

import dev.levee.LeveeException;
import dev.levee.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a command's failure into one line on stderr and an exit code: the messages of levee's
 * exceptions already say what is wrong, so a stack trace would only bury them. Unexpected
 * exceptions keep their stack trace in the file log.
 */
final class ErrorReporter implements IExecutionExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger("levee.cli");

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
        var err = cli.getErr();
        if (e instanceof ConfigException) {
            err.println(Style.error("levee: config error: " + e.getMessage()));
            return LeveeCli.EXIT_USAGE;
        }
        if (e instanceof LeveeException le) {
            err.println(Style.error("levee: " + describe(le)));
            return le.kind() == LeveeException.Kind.INVALID_REQUEST || le.kind() == LeveeException.Kind.UNKNOWN_ROUTE
                    ? LeveeCli.EXIT_USAGE : LeveeCli.EXIT_FAILURE;
        }
        if (e instanceof UsageProblem) {
            err.println(Style.error("levee: " + e.getMessage()));
            return LeveeCli.EXIT_USAGE;
        }
        log.debug("{} failed", cli.getCommandName(), e);
        err.println(Style.error("levee: unexpected error: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + " (stack trace in the log file)"));
        return LeveeCli.EXIT_FAILURE;
    }

    static String describe(LeveeException e) {
        String kind = e.kind().name().toLowerCase(java.util.Locale.ROOT);
        return kind + ": " + e.getMessage() + (e.requestId() == null ? "" : " (request_id " + e.requestId() + ")");
    }

    /** A problem with the arguments found while running, after picocli's own checks. */
    static final class UsageProblem extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageProblem(String message) {
            super(message, null, false, false);
        }
    }
}
