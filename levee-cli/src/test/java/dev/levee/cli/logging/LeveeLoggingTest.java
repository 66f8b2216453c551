package dev.levee.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

/** levee's logging setup, in a context of its own: what it attaches, and that a user's file replaces it. */
class LeveeLoggingTest {

    @Test
    void consoleAndFileBehindOneBatchingAppender(@TempDir Path dir) {
        LoggerContext context = context();
        context.putProperty("levee.log.file", dir.resolve("x.log").toString());
        try {
            assertThat(configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

            ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
            assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
            assertThat(context.getLogger("io.vertx").getLevel()).isEqualTo(Level.WARN);
            var async = (BatchingAsyncAppender) root.getAppender("ASYNC");
            assertThat(async.isStarted()).isTrue();
            assertThat(context.getProperty(LeveeLogging.FILE_PROPERTY)).isEqualTo(dir.resolve("x.log").toString());

            var file = (RollingFileAppender<ILoggingEvent>) async.getAppender("FILE");
            assertThat(file.getFile()).isEqualTo(dir.resolve("x.log").toString());
            assertThat(file.isStarted()).isTrue();

            var console = (OutputStreamAppender<ILoggingEvent>) async.getAppender(ConsoleLog.APPENDER);
            assertThat(console.isStarted()).isTrue();
            ThresholdFilter threshold = (ThresholdFilter) console.getCopyOfAttachedFiltersList().get(0);
            assertThat(threshold.isStarted()).isTrue();
            // The console's own conversion words: level name and colour, then the request id from the MDC.
            var encoder = (LayoutWrappingEncoder<ILoggingEvent>) console.getEncoder();
            LoggingEvent event = new LoggingEvent("x", root, Level.WARN, "slow upstream", null, null);
            event.setMDCPropertyMap(Map.of("request_id", "r-1"));
            assertThat(encoder.getLayout().doLayout(event))
                    .matches("(?s).*\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[WARN ] \\[r-1] ROOT - slow upstream.*");
        } finally {
            context.stop();
        }
    }

    @Test
    void withLeveeLogFormatJsonTheConsoleWritesOneJsonObjectPerLine(@TempDir Path dir) throws Exception {
        LoggerContext context = context();
        context.putProperty("levee.log.file", dir.resolve("x.log").toString());
        context.putProperty(LeveeLogging.FORMAT_ENV, "json");
        try {
            configure(context);
            ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            var async = (BatchingAsyncAppender) root.getAppender("ASYNC");
            var console = (OutputStreamAppender<ILoggingEvent>) async.getAppender(ConsoleLog.APPENDER);
            LoggingEvent event = new LoggingEvent("x", root, Level.WARN, "slow upstream", null, null);
            event.setMDCPropertyMap(Map.of("request_id", "r-1"));

            String line = new String(console.getEncoder().encode(event), java.nio.charset.StandardCharsets.UTF_8);

            assertThat(line).endsWith("\n").doesNotContain("\u001b"); // one line, no colour codes
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            assertThat(json.path("level").asText()).isEqualTo("WARN");
            assertThat(json.path("message").asText()).isEqualTo("slow upstream");
            assertThat(json.path("request_id").asText()).isEqualTo("r-1");
            assertThat(json.has("@timestamp")).isTrue();
        } finally {
            context.stop();
        }
    }

    @Test
    void aLogbackFileNamedOnTheCommandLineReplacesIt() {
        LoggerContext context = context();
        String before = System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY);
        System.setProperty(ContextInitializer.CONFIG_FILE_PROPERTY, "mine.xml");
        try {
            assertThat(configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
        } finally {
            if (before == null) {
                System.clearProperty(ContextInitializer.CONFIG_FILE_PROPERTY);
            } else {
                System.setProperty(ContextInitializer.CONFIG_FILE_PROPERTY, before);
            }
            context.stop();
        }
    }

    private static LoggerContext context() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        return context;
    }

    private static ExecutionStatus configure(LoggerContext context) {
        LeveeLogging logging = new LeveeLogging();
        logging.setContext(context);
        return logging.configure(context);
    }
}
