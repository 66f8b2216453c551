package dev.levee.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.hook.DefaultShutdownHook;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.ContextUtil;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import ch.qos.logback.core.util.OptionHelper;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.Logger;

/**
 * levee's logging, configured in code: logback finds this class as a {@link Configurator} service
 * before it looks for an XML file. Joran, reading the same setup from XML, took 54–104 ms of every
 * start; this takes 4–7 ms.
 *
 * <ul>
 *   <li>Console (stderr): timestamp, level, request id, source, message, coloured by level; INFO
 *       unless {@value ConsoleLog#LEVEL_ENV} says otherwise; JSON lines with {@code LEVEE_LOG_FORMAT=json}.</li>
 *   <li>File: the same fields and the thread at DEBUG, rolling 10 MB × 5; {@code LOG_FILE} is
 *       {@code -Dlevee.log.file}, else {@code LEVEE_LOG_FILE}, else {@code levee.log}.</li>
 *   <li>Both are written by one thread off the request threads ({@link BatchingAsyncAppender}),
 *       woken every 10 ms, at once for WARN and ERROR (no log I/O on an event loop, where a blocking
 *       write would stall every connection the loop serves).</li>
 *   <li>The request id comes from the MDC key {@code request_id}; lines of no request say
 *       {@code system}, so every line has one.</li>
 * </ul>
 *
 * A logback file named with {@code -Dlogback.configurationFile} replaces all of this.
 */
public final class LeveeLogging extends ContextAwareBase implements Configurator {
    static final String FILE_PROPERTY = "LOG_FILE";
    /** {@code json} makes the console write one JSON object per line; {@code text} (the default) is for people. */
    static final String FORMAT_ENV = "LEVEE_LOG_FORMAT";
    private static final String FIELDS = "[%-5levelName] [%X{request_id:-system}] %logger{0} - %msg";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY; // the user's own file, for Joran to read
        }
        String file = setting(context, "levee.log.file", setting(context, "LEVEE_LOG_FILE", null));

        BufferedConsoleAppender console = new BufferedConsoleAppender();
        console.setContext(context);
        console.setName(ConsoleLog.APPENDER);
        console.setTarget("System.err");
        console.setImmediateFlush(false); // ASYNC flushes after each batch: one write per batch
        ThresholdFilter threshold = new ThresholdFilter();
        threshold.setContext(context);
        threshold.setLevel(setting(context, ConsoleLog.LEVEL_ENV, "INFO"));
        threshold.start();
        console.addFilter(threshold);
        if ("json".equalsIgnoreCase(setting(context, FORMAT_ENV, "text"))) {
            console.setEncoder(jsonEncoder(context));
        } else {
            // The empty option list "{}" is needed: logback 1.6 prints a conversion word that follows a
            // composite's ")" directly (here %n) as literal text.
            console.setEncoder(encoder(context, "%levelColor(%d{yyyy-MM-dd HH:mm:ss.SSS} " + FIELDS + "){}%n"));
        }
        console.start();

        BatchingAsyncAppender async = new BatchingAsyncAppender();
        async.setContext(context);
        async.setName("ASYNC");
        async.setQueueSize(16384);
        async.addAppender(console);
        if (file != null) {
            context.putProperty(FILE_PROPERTY, file);
            async.addAppender(fileLog(context, file));
        }
        async.start();

        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger("io.vertx").setLevel(Level.WARN);
        context.getLogger("io.github.resilience4j").setLevel(Level.INFO);
        // The pool's lifecycle and housekeeping and the migrations' progress, at every open: the
        // store logs which database it uses, and their warnings and errors still come through.
        context.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
        context.getLogger("org.flywaydb").setLevel(Level.WARN);
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.DEBUG);
        root.addAppender(async);

        // Flushes the file queue when the JVM exits (System.exit, SIGTERM, Ctrl-C).
        DefaultShutdownHook hook = new DefaultShutdownHook();
        hook.setContext(context);
        new ContextUtil(context).addOrReplaceShutdownHook(hook); // as <shutdownHook/> does
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Starts the file log in {@code dataDir} ({@code levee.log}) unless a file was named
     * ({@code LEVEE_LOG_FILE}, {@code -Dlevee.log.file}) or logback was configured otherwise. Commands
     * call it once they know the data directory, so nothing is written to the working directory;
     * lines logged before go to the console only.
     */
    public static void fileUnder(java.nio.file.Path dataDir) {
        if (!(org.slf4j.LoggerFactory.getILoggerFactory() instanceof LoggerContext context)
                || context.getProperty(FILE_PROPERTY) != null
                || !(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ASYNC") instanceof BatchingAsyncAppender async)) {
            return;
        }
        String file = dataDir.resolve("levee.log").toAbsolutePath().normalize().toString();
        try {
            java.nio.file.Files.createDirectories(dataDir);
        } catch (java.io.IOException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger("levee").warn("No file log: cannot create {}: {}", dataDir, e.toString());
            return;
        }
        context.putProperty(FILE_PROPERTY, file);
        async.addAppender(fileLog(context, file));
    }

    /** The file log: the same fields and the thread, at DEBUG, rolling at 10 MB and keeping five. */
    private static RollingFileAppender<ILoggingEvent> fileLog(LoggerContext context, String file) {
        RollingFileAppender<ILoggingEvent> fileLog = new RollingFileAppender<>();
        fileLog.setContext(context);
        fileLog.setName("FILE");
        fileLog.setFile(file);
        fileLog.setImmediateFlush(false);
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(fileLog);
        rolling.setFileNamePattern(file + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(5);
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(FileSize.valueOf("10MB"));
        // logback looks at the size at most once a minute by default: a busy gateway wrote 400 MB
        // between looks. Four looks a second cost four stat() calls.
        trigger.setCheckIncrement(Duration.buildByMilliseconds(250));
        trigger.start();
        fileLog.setRollingPolicy(rolling);
        fileLog.setTriggeringPolicy(trigger);
        fileLog.setEncoder(encoder(context, "%d{yyyy-MM-dd HH:mm:ss.SSS} " + FIELDS + " [%thread]%n"));
        fileLog.start();
        return fileLog;
    }

    /**
     * One JSON object per line for log shippers: {@code @timestamp}, {@code level}, {@code logger_name},
     * {@code message}, {@code thread_name} and the MDC ({@code request_id}); no colours. Prompts and keys
     * are as absent from these lines as from the text ones: the request path logs hashes and ids.
     */
    private static LogstashEncoder jsonEncoder(LoggerContext context) {
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        encoder.setIncludeContext(false);
        encoder.start();
        return encoder;
    }

    /** The levee pattern with its own conversion words, as {@code <conversionRule>} would register them. */
    private static LayoutWrappingEncoder<ILoggingEvent> encoder(LoggerContext context, String pattern) {
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.getInstanceConverterMap().put("levelColor", LevelColorConverter::new);
        layout.getInstanceConverterMap().put("levelName", LevelNameConverter::new);
        layout.setPattern(pattern);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }

    /**
     * A context property, else a system property, else an environment variable, else the default:
     * {@code ${NAME:-default}} in logback's XML, with the lookup Joran uses for it.
     */
    private static String setting(LoggerContext context, String name, String otherwise) {
        String value = OptionHelper.propertyLookup(name, context, null);
        return value == null ? otherwise : value;
    }
}
