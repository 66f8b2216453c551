package dev.levee.pipeline;

import dev.levee.Attempt;
import dev.levee.ChatRequest;
import dev.levee.config.RouteConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one request as it moves through the pipeline: carried explicitly, not in a
 * ThreadLocal, because its callbacks run on an event loop (STACK.md P9). Confined to the
 * request's Vert.x context.
 */
public final class RequestContext {
    private final String requestId;
    private final ChatRequest request;
    private final RouteConfig route;
    private final Deadline deadline;
    private final Clock clock;
    private final long startNanos;
    private final Instant startedAt;
    private final boolean stream;
    private final List<Attempt> attempts = new ArrayList<>();
    private volatile boolean cancelled;
    private final io.vertx.core.Promise<Void> cancellation = io.vertx.core.Promise.promise();
    private Runnable onCancel = () -> { };
    private long firstTokenNanos = -1;

    public RequestContext(String requestId, ChatRequest request, RouteConfig route, Deadline deadline, Clock clock,
                          boolean stream) {
        this.requestId = requestId;
        this.request = request;
        this.route = route;
        this.deadline = deadline;
        this.clock = clock;
        this.stream = stream;
        this.startNanos = System.nanoTime();
        this.startedAt = clock.instant();
    }

    public String requestId() {
        return requestId;
    }

    public ChatRequest request() {
        return request;
    }

    public RouteConfig route() {
        return route;
    }

    public Deadline deadline() {
        return deadline;
    }

    public Clock clock() {
        return clock;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public boolean stream() {
        return stream;
    }

    public double elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    public void addAttempt(Attempt attempt) {
        attempts.add(attempt);
    }

    public List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    public void markFirstToken() {
        if (firstTokenNanos < 0) {
            firstTokenNanos = System.nanoTime();
        }
    }

    /** Time to first token in ms, or {@code null} before one (or for a non-streaming request). */
    public Double ttftMillis() {
        return firstTokenNanos < 0 ? null : (firstTokenNanos - startNanos) / 1e6;
    }

    public boolean cancelled() {
        return cancelled;
    }

    /** What to do to abandon the work in flight; replaced as the request moves from attempt to attempt. */
    public void onCancel(Runnable action) {
        this.onCancel = action;
        if (cancelled) {
            action.run();
        }
    }

    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            onCancel.run();
            cancellation.tryComplete();
        }
    }

    /** Completes when the caller cancels: in-flight upstream calls listen to it. */
    public io.vertx.core.Future<Void> cancellation() {
        return cancellation.future();
    }
}
