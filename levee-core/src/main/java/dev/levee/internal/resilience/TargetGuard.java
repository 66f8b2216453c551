package dev.levee.internal.resilience;

import dev.levee.BreakerSnapshot;
import dev.levee.Ticker;
import dev.levee.config.ResilienceConfig;
import dev.levee.spi.ProviderException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The circuit breaker of one target (provider/model). Resilience4j keeps the state machine and the
 * failure-rate window; on top of it this opens on N consecutive failures, and reopens at once on
 * a failed half-open probe.
 */
public final class TargetGuard {
    private final String target;
    private final Ticker ticker;
    private final CircuitBreaker breaker;
    private final int consecutiveLimit;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final long openForNanos;
    /** When the breaker last opened, on the ticker. */
    private volatile long openedAtNanos;

    TargetGuard(String target, ResilienceConfig.Breaker settings, Clock clock, Ticker ticker,
                BiConsumer<String, String> onTransition) {
        this.target = target;
        this.ticker = ticker;
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindow(settings.window(), settings.minimumCalls(), SlidingWindowType.COUNT_BASED)
                .failureRateThreshold((float) (settings.failureRate() * 100))
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenProbes())
                // A probe whose outcome is never recorded must not wedge the breaker half-open (R4j #903).
                .maxWaitDurationInHalfOpenState(settings.openFor())
                .recordException(e -> true)
                .writableStackTraceEnabled(false)
                .clock(clock)
                .build();
        this.breaker = CircuitBreaker.of(target, config);
        this.consecutiveLimit = settings.consecutiveFailures();
        this.openForNanos = settings.openFor().toNanos();
        breaker.getEventPublisher().onStateTransition(e -> {
            if (e.getStateTransition().getToState() == State.OPEN) {
                openedAtNanos = ticker.nanoTime();
            }
            onTransition.accept(e.getStateTransition().getFromState().name(),
                    e.getStateTransition().getToState().name());
        });
    }

    public String target() {
        return target;
    }

    /** A permit for one attempt, or {@code null} when the breaker refuses (open, or half-open and busy). */
    public Permit tryAcquire() {
        return breaker.tryAcquirePermission() ? new Permit(this, ticker) : null;
    }

    /** CLOSED, OPEN, HALF_OPEN (or one of Resilience4j's forced states), as a name. */
    public String state() {
        return breaker.getState().name();
    }

    /**
     * Open and not yet due for a probe. A breaker stays OPEN until the next call asks it, so one whose
     * target nobody calls would look open for ever; this says whether it still means it.
     */
    public boolean resting() {
        return breaker.getState() == State.OPEN && ticker.nanoTime() - openedAtNanos < openForNanos;
    }

    public BreakerSnapshot snapshot() {
        var m = breaker.getMetrics();
        return new BreakerSnapshot(target, breaker.getState().name(), m.getNumberOfFailedCalls(),
                m.getNumberOfSuccessfulCalls(), m.getFailureRate() < 0 ? 0 : m.getFailureRate() / 100.0,
                consecutiveFailures.get(), m.getNumberOfNotPermittedCalls());
    }

    void recordSuccess(long nanos) {
        consecutiveFailures.set(0);
        breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
    }

    void recordFailure(long nanos, ProviderException error) {
        int inARow = consecutiveFailures.incrementAndGet();
        State before = breaker.getState();
        breaker.onError(nanos, TimeUnit.NANOSECONDS, error);
        State now = breaker.getState();
        boolean probeFailed = before == State.HALF_OPEN && now == State.HALF_OPEN;
        boolean tooManyInARow = now == State.CLOSED && inARow >= consecutiveLimit;
        if (probeFailed || tooManyInARow) {
            open();
        }
    }

    void release() {
        breaker.releasePermission();
    }

    private void open() {
        try {
            breaker.transitionToOpenState();
        } catch (RuntimeException raced) {
            // Another thread moved the breaker first; its state is as good as ours.
        }
    }

    /** Forces the breaker closed, forgetting its history (operators, tests). */
    public void reset() {
        consecutiveFailures.set(0);
        breaker.reset();
    }
}
