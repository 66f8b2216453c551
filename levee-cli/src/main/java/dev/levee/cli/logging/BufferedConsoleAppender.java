package dev.levee.cli.logging;

import ch.qos.logback.core.ConsoleAppender;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * logback's {@link ConsoleAppender} with a buffer in front of the console. The console target is
 * {@code System.err}, a {@link java.io.PrintStream} that flushes on every write: one {@code write(2)}
 * system call per log line, which on a busy gateway is one per request. With
 * {@code immediateFlush=false} the lines gather here and {@link BatchingAsyncAppender} flushes them
 * once per batch. Closing only flushes: the console outlives the appender.
 */
public final class BufferedConsoleAppender<E> extends ConsoleAppender<E> {
    private static final int BUFFER_BYTES = 16 * 1024;

    @Override
    protected OutputStream wrapTarget(OutputStream target) {
        return new BufferedOutputStream(super.wrapTarget(target), BUFFER_BYTES) {
            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
