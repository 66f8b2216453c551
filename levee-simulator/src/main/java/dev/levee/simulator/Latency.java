package dev.levee.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * How fast the simulated model "thinks": the wait before the first token, then the wait between
 * token pieces. A non-streaming response is sent once the whole answer would have been generated.
 */
public record Latency(Duration timeToFirstToken, Duration perToken) {

    /** A plausible small local model: 50 ms to the first token, 2 ms per token. */
    public static final Latency DEFAULT = ofMillis(50, 2);

    /** No waiting at all; handy for tests that only look at shapes. */
    public static final Latency NONE = ofMillis(0, 0);

    public Latency {
        Objects.requireNonNull(timeToFirstToken, "timeToFirstToken");
        Objects.requireNonNull(perToken, "perToken");
        if (timeToFirstToken.isNegative() || perToken.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + timeToFirstToken + " / " + perToken);
        }
    }

    public static Latency ofMillis(long timeToFirstTokenMs, long perTokenMs) {
        return new Latency(Duration.ofMillis(timeToFirstTokenMs), Duration.ofMillis(perTokenMs));
    }

    /** Time until {@code pieces} pieces have been produced (the first one costs the time to first token). */
    Duration untilPiece(int pieces) {
        return pieces <= 0 ? timeToFirstToken : timeToFirstToken.plus(perToken.multipliedBy(pieces - 1L));
    }
}
