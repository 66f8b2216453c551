package dev.levee.simulator;

import dev.levee.simulator.ReceivedRequest.Outcome;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the simulator received, oldest first, with each response's outcome kept up to date.
 * Thread-safe; holds the latest {@value #CAPACITY} requests, and of their bodies no more than
 * {@value #MAX_BODY_BYTES} bytes as received, so a long-running simulator stays bounded: by count
 * alone, a few large prompts (a simulator inside {@code levee serve} shares the gateway's heap) kept
 * megabytes each until the heap ran out. The newest request is always kept, whatever its size.
 */
public final class RequestJournal {

    static final int CAPACITY = 10_000;
    static final long MAX_BODY_BYTES = 8L * 1024 * 1024;

    private final Deque<Entry> entries = new ArrayDeque<>();
    private long bodyBytes;

    public synchronized List<ReceivedRequest> all() {
        return entries.stream().map(Entry::request).toList();
    }

    public List<ReceivedRequest> forModel(String model) {
        return all().stream().filter(r -> r.model().equals(model)).toList();
    }

    public int count(String model) {
        return forModel(model).size();
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized Optional<ReceivedRequest> last() {
        return Optional.ofNullable(entries.peekLast()).map(Entry::request);
    }

    public synchronized void clear() {
        entries.clear();
        bodyBytes = 0;
        notifyAll();
    }

    /**
     * Waits until some received request matches, e.g. {@code r -> r.outcome() == CANCELLED}.
     *
     * @throws IllegalStateException on timeout, listing what was received
     */
    public synchronized ReceivedRequest await(Predicate<ReceivedRequest> condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<ReceivedRequest> match = entries.stream().map(Entry::request).filter(condition).findFirst();
            if (match.isPresent()) {
                return match.get();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("no matching request within " + timeout + "; journal: " + all());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Waits until at least {@code n} requests for the model were received; returns them. */
    public List<ReceivedRequest> awaitCount(String model, int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (count(model) < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("expected " + n + " requests for " + model + " within "
                            + timeout + "; journal: " + all());
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return forModel(model);
        }
    }

    /** @param bodyBytes the size of the request's body as it was received */
    synchronized Entry add(ReceivedRequest request, long bodyBytes) {
        while (!entries.isEmpty() && (entries.size() >= CAPACITY || this.bodyBytes + bodyBytes > MAX_BODY_BYTES)) {
            this.bodyBytes -= entries.removeFirst().bodyBytes;
        }
        Entry entry = new Entry(request, bodyBytes);
        entries.addLast(entry);
        this.bodyBytes += bodyBytes;
        notifyAll();
        return entry;
    }

    private synchronized void changed() {
        notifyAll();
    }

    /** A request's slot; its outcome leaves IN_PROGRESS once, the first ending wins. */
    final class Entry {
        private volatile ReceivedRequest request;
        private final long bodyBytes;

        private Entry(ReceivedRequest request, long bodyBytes) {
            this.request = request;
            this.bodyBytes = bodyBytes;
        }

        ReceivedRequest request() {
            return request;
        }

        /** Returns whether this call ended the request (false when it had already ended). */
        boolean finish(Outcome outcome) {
            synchronized (RequestJournal.this) {
                if (request.outcome() != Outcome.IN_PROGRESS) {
                    return false;
                }
                request = request.withOutcome(outcome);
            }
            changed();
            return true;
        }
    }
}
