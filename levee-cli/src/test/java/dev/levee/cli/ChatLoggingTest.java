package dev.levee.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.read.ListAppender;
import dev.levee.cli.logging.ConsoleLog;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The log of a chat request, rendered with the console pattern of levee's logging. */
class ChatLoggingTest {
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Logger root;

    @BeforeEach
    void capture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        captured.setContext(context);
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void release() {
        root.detachAppender(captured);
    }

    @Test
    void everyConsoleLineOfARequestCarriesItsRequestId() {
        Cli r = Cli.run("chat", "--no-color", "What is a circuit breaker?");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String requestId = requestIdOf(r.out());

        // At INFO a healthy request is one line, its completion; DEBUG (the file log) adds its start.
        List<String> consoleLines = render(Level.INFO);
        assertThat(consoleLines).isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("[" + requestId + "]"));
        assertThat(String.join("", consoleLines)).contains("Request processed");
        List<String> requestLines = render(Level.DEBUG).stream()
                .filter(line -> line.contains("Processing request") || line.contains("Request processed")).toList();
        assertThat(requestLines).hasSize(2).allSatisfy(line -> assertThat(line).contains("[" + requestId + "]"));
    }

    @Test
    void noKeyOrEmailReachesTheLog() {
        String email = "jane.doe@example.com";
        String key = "sk-proj-Abc123Def456Ghi789Jkl0";
        Cli r = Cli.run("chat", "--no-color", "My email is " + email + " and my key is " + key + ", hello?");
        assertThat(r.exitCode()).as(r.err()).isZero();

        String everything = String.join("", render(Level.TRACE)); // what the DEBUG file log gets too
        assertThat(everything).contains("prompt_hash=").doesNotContain(email, key, "Abc123Def456");
    }

    private List<String> render(Level threshold) {
        @SuppressWarnings("unchecked")
        var encoder = (LayoutWrappingEncoder<ILoggingEvent>)
                ((OutputStreamAppender<ILoggingEvent>) ConsoleLog.consoleAppender()).getEncoder();
        return captured.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(threshold))
                .map(e -> encoder.getLayout().doLayout(e)).toList();
    }

    private static String requestIdOf(String output) {
        Matcher m = Pattern.compile("\"request_id\": \"([^\"]+)\"").matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return m.group(1);
    }
}
