package dev.levee.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.read.ListAppender;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class BatchingAsyncAppenderTest {
    private static final String NL = System.lineSeparator();
    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> console = list("CONSOLE");
    private final ListAppender<ILoggingEvent> file = list("FILE");
    private final BatchingAsyncAppender batching = new BatchingAsyncAppender();
    private final Logger logger = context.getLogger("levee.request");

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void everyAttachedAppenderGetsEveryEventInOrderWithTheMdcOfTheCallingThread() {
        start(8192, 20);
        for (int i = 0; i < 100; i++) {
            try (var ignored = MDC.putCloseable("request_id", "r" + i)) {
                logger.info("line {}", i);
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> file.list.size() == 100);
        assertThat(messages(console.list)).isEqualTo(messages(file.list));
        assertThat(console.list.get(42).getFormattedMessage()).isEqualTo("line 42");
        assertThat(console.list.get(42).getMDCPropertyMap()).containsEntry("request_id", "r42");
        assertThat(console.list.get(42).getThreadName()).isEqualTo(Thread.currentThread().getName());
    }

    @Test
    void infoWaitsForTheWriterToWakeButAWarningIsWrittenAtOnceWithWhatCameBefore() throws InterruptedException {
        start(8192, 60_000); // the writer would sleep a minute unless woken
        await().atMost(Duration.ofSeconds(5)).until(this::writerAsleep);
        logger.info("routine");
        Thread.sleep(300);
        assertThat(console.list).isEmpty();
        logger.warn("trouble");
        await().atMost(Duration.ofSeconds(5)).until(() -> console.list.size() == 2);
        assertThat(messages(console.list)).containsExactly("routine", "trouble");
    }

    @Test
    void stopWritesWhatIsQueuedBeforeStoppingTheAppenders() {
        start(8192, 60_000);
        for (int i = 0; i < 50; i++) {
            logger.debug("queued {}", i);
        }
        batching.stop();
        assertThat(file.list).hasSize(50);
        assertThat(file.isStarted()).isFalse();
        assertThat(console.isStarted()).isFalse();
    }

    @Test
    void aFullQueueDropsEventsWithoutBlockingAndSaysHowMany() {
        start(4, 60_000);
        await().atMost(Duration.ofSeconds(5)).until(this::writerAsleep);
        for (int i = 0; i < 10; i++) {
            logger.info("event {}", i);
        }
        batching.stop();
        assertThat(messages(file.list)).containsExactly("event 0", "event 1", "event 2", "event 3",
                "6 log events dropped: the log writer fell behind (queue of 4)");
        assertThat(file.list.get(4).getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void aMutableArgumentIsFormattedAsItWasWhenLogged() {
        start(8192, 60_000);
        StringBuilder state = new StringBuilder("before");
        logger.info("state={} count={}", state, 7);
        state.setLength(0);
        state.append("after");
        batching.stop();
        assertThat(messages(file.list)).containsExactly("state=before count=7");
    }

    @Test
    void aStreamAppenderThatDoesNotFlushEachLineIsFlushedAfterEachBatch() {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        OutputStreamAppender<ILoggingEvent> buffered = new OutputStreamAppender<>();
        buffered.setContext(context);
        buffered.setName("BUFFERED");
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        buffered.setEncoder(encoder);
        buffered.setImmediateFlush(false);
        buffered.setOutputStream(new BufferedOutputStream(written, 64 * 1024)); // holds the lines until flushed
        buffered.start();
        batching.addAppender(buffered);
        start(8192, 20);
        logger.info("one");
        logger.info("two");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> written.toString(StandardCharsets.UTF_8).equals("one" + NL + "two" + NL));
    }

    @Test
    void refusesToStartWithNothingAttached() {
        BatchingAsyncAppender empty = new BatchingAsyncAppender();
        empty.setContext(context);
        empty.setName("EMPTY");
        empty.start();
        assertThat(empty.isStarted()).isFalse();
    }

    private void start(int queueSize, int lingerMillis) {
        context.setMDCAdapter(MDC.getMDCAdapter()); // slf4j's MDC, which the calling code writes to
        batching.setContext(context);
        batching.setName("TEST");
        batching.setQueueSize(queueSize);
        batching.setLingerMillis(lingerMillis);
        batching.addAppender(console);
        batching.addAppender(file);
        batching.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.DEBUG);
        root.addAppender(batching);
    }

    private boolean writerAsleep() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("levee-log-writer-TEST") && t.getState() == Thread.State.TIMED_WAITING);
    }

    private ListAppender<ILoggingEvent> list(String name) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.setContext(context);
        appender.setName(name);
        appender.start();
        return appender;
    }

    private static List<String> messages(List<ILoggingEvent> events) {
        return events.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
