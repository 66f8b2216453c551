package dev.levee.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The console log reaches standard error a batch at a time, not a write per line. */
class BufferedConsoleAppenderTest {
    private final PrintStream realErr = System.err;
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    /** Writes that reached the stream under System.err: each would be one write(2) on a real console. */
    private final AtomicInteger writes = new AtomicInteger();
    private final LoggerContext context = new LoggerContext();

    @BeforeEach
    void captureStandardError() {
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                writes.incrementAndGet();
                written.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.incrementAndGet();
                written.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        context.stop();
        System.setErr(realErr);
    }

    @Test
    void aHundredLinesLoggedTogetherReachTheConsoleInAFewWrites() {
        BufferedConsoleAppender<ILoggingEvent> console = new BufferedConsoleAppender<>();
        console.setContext(context);
        console.setName(ConsoleLog.APPENDER);
        console.setTarget("System.err");
        console.setImmediateFlush(false);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        console.setEncoder(encoder);
        console.start();
        BatchingAsyncAppender batching = new BatchingAsyncAppender();
        batching.setContext(context);
        batching.setName("TEST");
        batching.setLingerMillis(60_000); // one batch: the one stop() drains
        batching.addAppender(console);
        context.setMDCAdapter(MDC.getMDCAdapter());
        batching.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(batching);

        for (int i = 0; i < 100; i++) {
            root.info("line {}", i);
        }
        batching.stop();

        String out = written.toString(StandardCharsets.UTF_8);
        assertThat(out.lines()).hasSize(100).startsWith("line 0").endsWith("line 99");
        // Batched, not a write per line. The writer thread drains as soon as lines arrive, so on a
        // busy machine it can wake a few times while the loop above is still logging: a handful of
        // writes, never a hundred.
        assertThat(writes.get()).isLessThanOrEqualTo(20);
    }
}
