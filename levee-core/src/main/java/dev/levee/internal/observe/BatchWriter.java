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
 * <p>Keep the linger to tens of milliseconds. Under load the young generation is collected every
 * ~50 ms, and every item still queued is copied by that collection: with lingers of 100 ms (log),
 * 50 ms (telemetry) and 200 ms (ledger), the lines, records and rows waiting were half of what
 * each collection copied, and the pauses, which stop every event loop, took 4.9–5.1 ms; with 10,
 * 10 and 20 ms, 3.1–3.4 ms (bench/, JSON with the team features, GC logs).
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
    private long dropped;
    private long lastReport;

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
                survive(onIdle);
                if (last) {
                    survive(onClose);
                    return;
                }
                if (!closing) { // close() during onIdle: drain again now, whatever became of its unpark
                    LockSupport.parkNanos(this, lingerNanos);
                }
                continue;
            }
            List<T> items = batch;
            survive(() -> onBatch.accept(items));
            batch.clear();
        }
    }

    /**
     * Runs a step so that no failure — a full disk, a bug, even an OutOfMemoryError while the heap is
     * briefly exhausted — kills the writer: a dead writer would lose every later line for good. What
     * failed is dropped and said once on stderr (the logger may be this very writer).
     */
    private void survive(Runnable step) {
        try {
            step.run();
        } catch (Throwable e) { // Errors included: losing the writer is worse than losing one batch
            dropped++;
            long now = System.nanoTime();
            if (now - lastReport > 60_000_000_000L || dropped == 1) {
                lastReport = now;
                System.err.println(thread.getName() + ": a batch could not be written and was dropped ("
                        + e.getClass().getSimpleName() + "); " + dropped + " so far; the writer goes on");
            }
        }
    }
}
