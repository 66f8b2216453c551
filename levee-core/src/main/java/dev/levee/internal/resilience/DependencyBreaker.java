package dev.levee.internal.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A breaker around a service levee itself depends on (the Redis that holds shared limits), as
 * opposed to a provider target: it opens when half of the last 20 calls (at least 5) failed, lets a
 * couple of calls through after a second, and closes as soon as they succeed.
 */
public final class DependencyBreaker {
    private final CircuitBreaker breaker;

    /** @param onChange told {@code false} when the breaker opens, {@code true} when it closes again */
    public DependencyBreaker(String name, java.util.function.Consumer<Boolean> onChange) {
        this.breaker = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED).slidingWindowSize(20)
                .minimumNumberOfCalls(5).failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(1)).permittedNumberOfCallsInHalfOpenState(2)
                .build());
        breaker.getEventPublisher().onStateTransition(e -> {
            CircuitBreaker.State to = e.getStateTransition().getToState();
            if (to == CircuitBreaker.State.CLOSED) {
                onChange.accept(true);
            } else if (to == CircuitBreaker.State.OPEN && e.getStateTransition().getFromState()
                    == CircuitBreaker.State.CLOSED) {
                onChange.accept(false);
            }
        });
    }

    /** Whether a call may go to the dependency now; if it does, report how it went. */
    public boolean permits() {
        return breaker.tryAcquirePermission();
    }

    public void succeeded(long nanos) {
        breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
    }

    public void failed(long nanos, Throwable error) {
        breaker.onError(nanos, TimeUnit.NANOSECONDS, error);
    }
}
