package dev.levee.internal.observe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A bounded queue and one daemon thread that writes what gathers in it, in batches: how levee
 * keeps file and console I/O off the event loops without paying for it per item.
 *
 * <p>The writer is not woken per item. When the queue is empty it sleeps {@code linger} and then
 * takes whatever has gathered; a producer that cannot wait (an error worth seeing at once) calls
 * {@link #wake()}. On a small VM, waking a parked thread for each log line or telemetry record cost
 * more CPU than formatting and writing it (bench/). A full queue refuses the item — {@link #offer}
 * returns false and the caller decides how to count it — so the request path never waits.
 *
 * @param <T> the items
 */
public final class BatchWriter<T> {
    private static final int MAX_BATCH = 1024;

    private final BlockingQueue<T> queue;
    private final long lingerNanos;
    private final Consumer<List<T>> onBatch;
    private final Runnable onIdle;
    private final Runnable onClose;
    private final Thread thread;
    private volatile boolean closing;

    /**
     * Starts the writer thread.
     *
     * @param onBatch writes a batch (on the writer thread); the list is reused afterwards
     * @param onIdle runs on the writer thread each time the queue is found empty (flush, report)
     * @param onClose runs on the writer thread last, once everything queued is written
     */
    public BatchWriter(String threadName, int capacity, Duration linger, Consumer<List<T>> onBatch, Runnable onIdle,
                       Runnable onClose) {
        if (capacity < 1 || linger.isNegative() || linger.isZero()) {
            throw new IllegalArgumentException("capacity and linger must be positive");
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.lingerNanos = linger.toNanos();
        this.onBatch = onBatch;
        this.onIdle = onIdle;
        this.onClose = onClose;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues an item; false when the queue is full (the item is not kept). */
    public boolean offer(T item) {
        return queue.offer(item);
    }

    /** Makes the writer take what is queued now rather than after its linger. */
    public void wake() {
        LockSupport.unpark(thread);
    }

    /** Writes what is queued, runs {@code onClose} and stops the writer; waits up to {@code timeout}. */
    public void close(Duration timeout) {
        closing = true;
        wake();
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<T> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            // Read before draining: when close() was already called, everything offered before it is
            // in the queue for this drain, so an empty drain means nothing is left. (Checked after
            // the drain instead, an item offered between the two was dropped at close.)
            boolean last = closing;
            queue.drainTo(batch, MAX_BATCH);
            if (batch.isEmpty()) {
                onIdle.run();
                if (last) {
                    onClose.run();
                    return;
                }
                if (!closing) { // close() during onIdle: drain again now, whatever became of its unpark
                    LockSupport.parkNanos(this, lingerNanos);
                }
                continue;
            }
            onBatch.accept(batch);
            batch.clear();
        }
    }
}
