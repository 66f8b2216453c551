package dev.levee.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;

/** Adjusts the console log of {@link LeveeLogging} at run time; the file log is left alone. */
public final class ConsoleLog {
    /** The console appender's name in {@link LeveeLogging}. */
    public static final String APPENDER = "CONSOLE";
    /** The environment variable with which users choose the console level. */
    public static final String LEVEL_ENV = "LEVEE_LOG_LEVEL";

    private ConsoleLog() {
    }

    /** Puts the previous console threshold back. */
    public interface Restore extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Sets the console threshold unless the user chose one with {@value #LEVEL_ENV}: a command
     * with output of its own (the demo) can quieten the log without overriding the user. Closing
     * the result restores the previous threshold, for callers that live on (tests, embedders).
     */
    public static Restore defaultLevel(String level) {
        String chosen = System.getenv(LEVEL_ENV);
        ThresholdFilter filter = consoleThreshold();
        if ((chosen != null && !chosen.isBlank()) || filter == null) {
            return () -> { };
        }
        String previous = thresholdOf(filter);
        filter.setLevel(level);
        return () -> filter.setLevel(previous);
    }

    /** ThresholdFilter has no getter; its decision at each level tells the threshold. */
    private static String thresholdOf(ThresholdFilter filter) {
        for (Level l : new Level[] {Level.TRACE, Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR}) {
            LoggingEvent probe = new LoggingEvent();
            probe.setLevel(l);
            if (filter.decide(probe) != FilterReply.DENY) {
                return l.toString();
            }
        }
        return Level.OFF.toString();
    }

    /** Where the file log goes ({@code LOG_FILE} in {@link LeveeLogging}), as an absolute path; "no file" without one. */
    public static String logFile() {
        String file = LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                ? context.getProperty(LeveeLogging.FILE_PROPERTY) : null;
        return file == null ? "no file" : java.nio.file.Path.of(file).toAbsolutePath().normalize().toString();
    }

    static ThresholdFilter consoleThreshold() {
        Appender<ILoggingEvent> console = consoleAppender();
        if (console == null) {
            return null;
        }
        return console.getCopyOfAttachedFiltersList().stream()
                .filter(ThresholdFilter.class::isInstance).map(ThresholdFilter.class::cast)
                .findFirst().orElse(null);
    }

    /** The console appender, or {@code null} when logback is not the binding or was configured otherwise. */
    public static Appender<ILoggingEvent> consoleAppender() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return null;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (var it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> appender = it.next();
            if (APPENDER.equals(appender.getName())) {
                return appender;
            }
            // LeveeLogging puts it behind the batching appender
            if (appender instanceof AppenderAttachable<?> attachable && attachable.getAppender(APPENDER) != null) {
                @SuppressWarnings("unchecked") // attached under the root logger: an appender of logging events
                Appender<ILoggingEvent> console = (Appender<ILoggingEvent>) attachable.getAppender(APPENDER);
                return console;
            }
        }
        return null;
    }
}
