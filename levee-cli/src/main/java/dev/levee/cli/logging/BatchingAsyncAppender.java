package dev.levee.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import dev.levee.internal.observe.BatchWriter;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands log events to one writer thread (a {@link BatchWriter}) that serves every attached
 * appender (console and file), so no log I/O runs on an event loop, where a blocking write would
 * stall every connection the loop serves — like logback's {@code AsyncAppender}, with differences
 * that matter at gateway rates:
 * <ul>
 *   <li>the writer is not woken per event: it sleeps {@code lingerMillis} (default 10 ms) when the
 *       queue is empty and then writes what has gathered. Waking a parked thread for each of a
 *       request's log lines cost more CPU on a small VM than formatting and writing them
 *       (bench/). A WARN or ERROR wakes it at once, so problems show without delay;</li>
 *   <li>one queue and one thread for several appenders ({@code AsyncAppender} takes exactly one);</li>
 *   <li>an attached stream appender with {@code immediateFlush=false} is flushed after each batch,
 *       so a batch costs one write instead of one per line.</li>
 * </ul>
 * A full queue drops the event rather than block the request path; the drops are counted and
 * reported as a WARN line once the writer catches up. {@link #stop()} writes what is queued first.
 */
public final class BatchingAsyncAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
        implements AppenderAttachable<ILoggingEvent> {
    private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
    private final AtomicLong dropped = new AtomicLong();
    private int queueSize = 8192;
    private int lingerMillis = 10; // short: queued events are copied by young collections (BatchWriter)
    private BatchWriter<ILoggingEvent> writer;

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public void setLingerMillis(int lingerMillis) {
        this.lingerMillis = lingerMillis;
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        if (queueSize < 1 || lingerMillis < 1) {
            addError("queueSize and lingerMillis must be positive");
            return;
        }
        if (!appenders.iteratorForAppenders().hasNext()) {
            addError("no appender attached to " + getName());
            return;
        }
        writer = new BatchWriter<>("levee-log-writer-" + getName(), queueSize, Duration.ofMillis(lingerMillis),
                this::appendAll, this::reportDropped, () -> { });
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        // What must be taken from the calling thread now: its name and its MDC. The message is
        // formatted here too unless every argument is immutable (strings, numbers...), when the
        // writer can format it later with the same result — levee's own lines are all like that.
        event.getThreadName();
        event.getMDCPropertyMap();
        if (!immutable(event.getArgumentArray())) {
            event.getFormattedMessage();
        }
        if (!writer.offer(event)) {
            dropped.incrementAndGet();
        } else if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
            writer.wake();
        }
    }

    private static boolean immutable(Object[] arguments) {
        if (arguments == null) {
            return true;
        }
        for (Object a : arguments) {
            if (!(a == null || a instanceof String || a instanceof Integer || a instanceof Long || a instanceof Double
                    || a instanceof Boolean || a instanceof java.math.BigDecimal || a instanceof Enum<?>)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop(); // no more appends
        writer.close(Duration.ofSeconds(5));
        appenders.detachAndStopAllAppenders();
    }

    private void appendAll(List<ILoggingEvent> batch) {
        for (ILoggingEvent event : batch) {
            appenders.appendLoopOnAppenders(event);
        }
        flushBuffered();
    }

    /**
     * Flushes the attached stream appenders configured with {@code immediateFlush=false}: they
     * then write a batch in one system call instead of one per line. Only this thread writes to
     * them, so no lock is needed.
     */
    private void flushBuffered() {
        for (Iterator<Appender<ILoggingEvent>> it = appenders.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> stream && !stream.isImmediateFlush()
                    && stream.getOutputStream() != null) {
                try {
                    stream.getOutputStream().flush();
                } catch (IOException e) {
                    addError("cannot flush " + stream.getName(), e);
                }
            }
        }
    }

    private void reportDropped() {
        long n = dropped.getAndSet(0);
        if (n > 0 && getContext() instanceof LoggerContext context) {
            appenders.appendLoopOnAppenders(new LoggingEvent(BatchingAsyncAppender.class.getName(),
                    context.getLogger("levee.log"), Level.WARN,
                    n + " log events dropped: the log writer fell behind (queue of " + queueSize + ")", null, null));
        }
    }

    @Override
    public void addAppender(Appender<ILoggingEvent> appender) {
        appenders.addAppender(appender);
    }

    @Override
    public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
        return appenders.iteratorForAppenders();
    }

    @Override
    public Appender<ILoggingEvent> getAppender(String name) {
        return appenders.getAppender(name);
    }

    @Override
    public boolean isAttached(Appender<ILoggingEvent> appender) {
        return appenders.isAttached(appender);
    }

    @Override
    public void detachAndStopAllAppenders() {
        appenders.detachAndStopAllAppenders();
    }

    @Override
    public boolean detachAppender(Appender<ILoggingEvent> appender) {
        return appenders.detachAppender(appender);
    }

    @Override
    public boolean detachAppender(String name) {
        return appenders.detachAppender(name);
    }
}
