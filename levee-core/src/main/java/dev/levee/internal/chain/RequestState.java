package dev.levee.internal.chain;

import dev.levee.Attempt;
import dev.levee.ChatRequest;
import dev.levee.Ticker;
import dev.levee.spi.RequestContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link RequestContext} of one request, with what only levee itself may change: the attempts,
 * the first token, the cancellation. Confined to the request's Vert.x context; {@link #cancel()} may
 * be called from anywhere and hops onto it.
 */
public final class RequestState implements RequestContext {
    private final String requestId;
    private final ChatRequest request;
    private final boolean stream;
    private final Clock clock;
    private final Ticker ticker;
    private final Context context;
    private final long startNanos;
    private final Instant startedAt;
    private final List<Attempt> attempts = new ArrayList<>();
    private final Map<Key<?>, Object> attributes = new IdentityHashMap<>(8);
    private final Promise<Void> cancellation = Promise.promise();
    private volatile boolean cancelled;
    private long firstTokenNanos = -1;

    public RequestState(String requestId, ChatRequest request, boolean stream, Clock clock, Ticker ticker,
                        Context context) {
        this.requestId = requestId;
        this.request = request;
        this.stream = stream;
        this.clock = clock;
        this.ticker = ticker;
        this.context = context;
        this.startNanos = ticker.nanoTime();
        this.startedAt = clock.instant();
    }

    @Override
    public String requestId() {
        return requestId;
    }

    @Override
    public ChatRequest request() {
        return request;
    }

    @Override
    public boolean stream() {
        return stream;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    public Ticker ticker() {
        return ticker;
    }

    /** The Vert.x context every callback of this request runs on. */
    public Context context() {
        return context;
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public double elapsedMillis() {
        return (ticker.nanoTime() - startNanos) / 1e6;
    }

    @Override
    public <T> T get(Key<T> key) {
        return key.cast(attributes.get(key));
    }

    @Override
    public <T> void put(Key<T> key, T value) {
        attributes.put(key, key.cast(value));
    }

    public void addAttempt(Attempt attempt) {
        attempts.add(attempt);
    }

    @Override
    public List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    public void markFirstToken() {
        if (firstTokenNanos < 0) {
            firstTokenNanos = ticker.nanoTime();
        }
    }

    @Override
    public Double ttftMillis() {
        return firstTokenNanos < 0 ? null : (firstTokenNanos - startNanos) / 1e6;
    }

    @Override
    public boolean cancelled() {
        return cancelled;
    }

    @Override
    public Future<Void> cancellation() {
        return cancellation.future();
    }

    /** The caller gave up: everything listening to {@link #cancellation()} stops, on the request's context. */
    public void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        if (Vertx.currentContext() == context) {
            cancellation.tryComplete();
        } else {
            context.runOnContext(v -> cancellation.tryComplete());
        }
    }
}
