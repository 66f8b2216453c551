package dev.levee.internal.resilience;

import dev.levee.ChatChunk;
import dev.levee.Ticker;
import dev.levee.config.FaultInjectionConfig;
import dev.levee.config.ResilienceConfig;
import dev.levee.internal.chain.Events;
import dev.levee.internal.chain.RequestState;
import dev.levee.spi.FailureKind;
import dev.levee.spi.LeveeEvent.SkipReason;
import dev.levee.spi.ProviderAdapter;
import dev.levee.spi.ProviderCall;
import dev.levee.spi.ProviderException;
import dev.levee.spi.ProviderReply;
import dev.levee.spi.ProviderStream;
import io.github.resilience4j.retry.Retry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A call to one target behind its guards — circuit breaker ∘ retry (exponential backoff with jitter,
 * {@code Retry-After} honoured) ∘ timeout — around the provider adapter. The one decorator for
 * completions, streams and stream continuations: every attempt asks the breaker for a permit (so
 * retries cannot hammer a target that has just opened), and every outcome is recorded once through
 * {@link Attempts}. It answers or fails with a {@link TargetFailure}; what follows a failure (the
 * next tier, the rule-based reply) is the route's business, not this class's.
 */
public final class TargetCall {
    /** An attempt with less time than this left is not worth starting. */
    public static final long MIN_ATTEMPT_MILLIS = 50;

    private final Vertx vertx;
    private final Map<String, ProviderAdapter> adapters;
    private final Breakers breakers;
    private final Backoff backoff;
    private final ResilienceConfig.Timeout timeouts;
    private final FaultInjectionConfig faults;
    private final Attempts attempts;

    public TargetCall(Vertx vertx, Map<String, ProviderAdapter> adapters, Breakers breakers, Backoff backoff,
                      ResilienceConfig.Timeout timeouts, FaultInjectionConfig faults, Events events, Ticker ticker) {
        this.vertx = vertx;
        this.adapters = Map.copyOf(adapters);
        this.breakers = breakers;
        this.backoff = backoff;
        this.timeouts = timeouts;
        this.faults = faults;
        this.attempts = new Attempts(events, ticker);
    }

    /**
     * What a target answered, with the attempt that answered (the caller records its end) and the
     * request parameters the target had no equivalent for.
     */
    public record Answer<T>(T value, Attempts.Tracked attempt, List<String> notApplied) {
    }

    /** A stream at its commit point: the chunks up to and including the first content, and the rest to read. */
    public record Opened(ProviderStream upstream, List<ChatChunk> early, boolean ended) {
    }

    public Attempts attempts() {
        return attempts;
    }

    /**
     * A complete answer (for an embeddings call, its vectors). {@code call} builds the upstream call for
     * an attempt's time budget; the attempt is recorded as succeeded before the answer is handed over.
     */
    public Future<Answer<ProviderReply>> complete(RequestState ctx, Target target, Function<Duration, ProviderCall> call) {
        // an embeddings call's complete answer is its vectors
        return run(ctx, target, call, target.deadline()::remaining,
                (adapter, c) -> c.embedding() != null ? adapter.embed(c) : adapter.complete(c))
                .map(answer -> {
                    answer.attempt().succeeded();
                    return answer;
                });
    }

    /**
     * A stream, up to its first content: until then every failure — an error status, a reset, no first
     * token in time, a stall, an error event — is retried like a completion's, invisibly to the caller.
     * The caller records the attempt's end when the stream ends.
     */
    public Future<Answer<Opened>> stream(RequestState ctx, Target target, Function<Duration, ProviderCall> call) {
        return run(ctx, target, call, () -> firstTokenBudget(target),
                (adapter, c) -> adapter.stream(c).compose(upstream -> untilFirstContent(ctx, upstream)));
    }

    private Duration firstTokenBudget(Target target) {
        Duration left = target.deadline().remaining();
        return timeouts.firstToken().compareTo(left) < 0 ? timeouts.firstToken() : left;
    }

    private interface Operation<T> {
        Future<T> apply(ProviderAdapter adapter, ProviderCall call);
    }

    private <T> Future<Answer<T>> run(RequestState ctx, Target target, Function<Duration, ProviderCall> call,
                                      java.util.function.Supplier<Duration> budget, Operation<T> operation) {
        Promise<Answer<T>> result = Promise.promise();
        new Run<>(ctx, target, call, budget, operation, result).attempt(1, 0);
        return result.future();
    }

    /** The attempts at one target for one request. Confined to the request's context. */
    private final class Run<T> {
        private final RequestState ctx;
        private final Target target;
        private final Function<Duration, ProviderCall> call;
        private final java.util.function.Supplier<Duration> budget;
        private final Operation<T> operation;
        private final Promise<Answer<T>> result;
        private final Retry.AsyncContext<Object> retries;

        Run(RequestState ctx, Target target, Function<Duration, ProviderCall> call,
            java.util.function.Supplier<Duration> budget, Operation<T> operation, Promise<Answer<T>> result) {
            this.ctx = ctx;
            this.target = target;
            this.call = call;
            this.budget = budget;
            this.operation = operation;
            this.result = result;
            this.retries = backoff.newBudget(target.name());
        }

        void attempt(int number, long delayBeforeMillis) {
            if (ctx.cancelled()) {
                result.fail(TargetFailure.cancelled());
                return;
            }
            Permit permit = breakers.forTarget(target.name()).tryAcquire();
            if (permit == null) {
                attempts.skipped(ctx, target.tier(), target.name(), SkipReason.BREAKER_OPEN);
                result.fail(TargetFailure.breakerOpen());
                return;
            }
            Attempts.Tracked tracked = attempts.start(ctx, target, permit, number, delayBeforeMillis);
            if (!ctx.request().options().simulateHighLoad()) {
                send(tracked);
                return;
            }
            long delay = Math.min(faults.highLoadDelay().toMillis(), target.deadline().remainingMillis());
            vertx.setTimer(Math.max(1, delay), id -> send(tracked));
        }

        private void send(Attempts.Tracked tracked) {
            if (ctx.cancelled()) {
                tracked.failed(new ProviderException(FailureKind.CANCELLED, "cancelled by the caller"), -1);
                result.fail(TargetFailure.cancelled());
                return;
            }
            ProviderAdapter adapter = adapters.get(target.config().provider());
            Future<T> answer;
            ProviderCall sent = null;
            try {
                sent = call.apply(budget.get());
                answer = operation.apply(adapter, sent);
            } catch (RuntimeException e) {
                answer = Future.failedFuture(e);
            }
            ProviderCall made = sent;
            answer.onComplete(ar -> {
                if (ar.succeeded()) {
                    result.complete(new Answer<>(ar.result(), tracked, adapter.notApplied(made)));
                } else {
                    failed(tracked, ProviderException.of(ar.cause()));
                }
            });
        }

        private void failed(Attempts.Tracked tracked, ProviderException error) {
            if (error.kind() == FailureKind.CANCELLED || ctx.cancelled()) {
                tracked.failed(error.kind() == FailureKind.CANCELLED ? error
                        : new ProviderException(FailureKind.CANCELLED, "cancelled by the caller"), -1);
                result.fail(TargetFailure.cancelled());
                return;
            }
            long delay = retryDelay(error);
            tracked.failed(error, delay);
            if (delay < 0) {
                result.fail(TargetFailure.failed(error));
                return;
            }
            vertx.setTimer(Math.max(1, delay), id -> attempt(tracked.number() + 1, delay));
        }

        /** The backoff before trying this target again, or -1 to give up on it. */
        private long retryDelay(ProviderException error) {
            if (!error.kind().retryable()) {
                return -1;
            }
            // A target that let its whole wait pass (no first token, no answer) is not waited for a
            // second time while a later tier could answer: that would hold the rescue back by the
            // same wait again, for a target that has just shown it is not answering.
            if (error.kind() == FailureKind.TIMEOUT && !target.last()) {
                return -1;
            }
            long delay = retries.onError(error);
            if (delay < 0) {
                return -1;
            }
            if (error.retryAfter() != null && error.retryAfter().compareTo(backoff.maxRetryAfter()) > 0) {
                return -1; // waiting that long beats no other target
            }
            // Retries never eat the time the targets after this one need: the target's deadline is the limit.
            if (delay + MIN_ATTEMPT_MILLIS > target.deadline().remainingMillis()) {
                return -1;
            }
            return delay;
        }
    }

    /** Reads a fresh stream until its first content (the commit point) or its failure. */
    private static Future<Opened> untilFirstContent(RequestState ctx, ProviderStream upstream) {
        if (ctx.cancelled()) {
            upstream.cancel();
            return Future.failedFuture(new ProviderException(FailureKind.CANCELLED, "cancelled by the caller"));
        }
        Promise<Opened> opened = Promise.promise();
        List<ChatChunk> early = new ArrayList<>();
        ctx.cancellation().onComplete(v -> {
            if (opened.tryFail(new ProviderException(FailureKind.CANCELLED, "cancelled by the caller"))) {
                upstream.cancel();
            }
        });
        upstream.handler(chunk -> {
            early.add(chunk);
            if (chunk.hasContent() && !opened.future().isComplete()) {
                upstream.pause();
                opened.tryComplete(new Opened(upstream, early, false));
            }
        });
        upstream.endHandler(v -> {
            if (!opened.future().isComplete()) {
                upstream.pause();
                opened.tryComplete(new Opened(upstream, early, true)); // an empty answer is still an answer
            }
        });
        upstream.exceptionHandler(e -> opened.tryFail(ProviderException.of(e)));
        upstream.resume();
        return opened.future();
    }
}
