package dev.levee;

import java.time.Instant;

/** A circuit breaker changed state ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}, …). */
public record BreakerTransition(Instant at, String target, String from, String to) {
}
