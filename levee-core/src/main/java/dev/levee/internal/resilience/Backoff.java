package dev.levee.internal.resilience;

import dev.levee.config.ResilienceConfig;
import dev.levee.spi.ProviderException;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When to retry: Resilience4j's retry decides whether another attempt is allowed; the interval is
 * exponential ({@code base x 2^(n-1)}, capped) with jitter in [50 %, 100 %), and never shorter than
 * the provider's {@code Retry-After}.
 */
public final class Backoff {
    private final RetryConfig config;
    private final ResilienceConfig.Retry settings;
    private final java.util.Map<String, Retry> perTarget = new java.util.concurrent.ConcurrentHashMap<>();

    public Backoff(ResilienceConfig.Retry settings, RandomGenerator random) {
        this.settings = settings;
        IntervalBiFunction<Object> interval = (attempt, outcome) -> delayMillis(attempt, outcome, random);
        this.config = RetryConfig.custom()
                .maxAttempts(settings.maxAttempts())
                .intervalBiFunction(interval)
                .retryOnException(e -> e instanceof ProviderException pe && pe.kind().retryable())
                .failAfterMaxAttempts(false)
                .writableStackTraceEnabled(false)
                .build();
    }

    /** A fresh retry budget for one tier of one request. */
    public Retry.AsyncContext<Object> newBudget(String target) {
        return perTarget.computeIfAbsent(target, t -> Retry.of(t, config)).asyncContext();
    }

    /** The longest Retry-After worth waiting for; beyond it the next tier is the better bet. */
    public Duration maxRetryAfter() {
        return settings.maxRetryAfter();
    }

    private long delayMillis(int attempt, Either<Throwable, Object> outcome, RandomGenerator random) {
        double exponential = settings.baseDelay().toMillis() * Math.pow(2, Math.max(0, attempt - 1));
        double capped = Math.min(exponential, settings.maxDelay().toMillis());
        long jittered = (long) (capped * (0.5 + random.nextDouble() * 0.5));
        if (outcome.isLeft() && outcome.getLeft() instanceof ProviderException pe && pe.retryAfter() != null) {
            return Math.max(jittered, pe.retryAfter().toMillis());
        }
        return jittered;
    }
}
