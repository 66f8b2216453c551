package dev.levee.spi;

import dev.levee.Ticker;
import java.time.Duration;

/** A point in monotonic time by which something must be done. */
public final class Deadline {
    private final Ticker ticker;
    private final long atNanos;

    private Deadline(Ticker ticker, long atNanos) {
        this.ticker = ticker;
        this.atNanos = atNanos;
    }

    public static Deadline after(Duration budget, Ticker ticker) {
        return new Deadline(ticker, ticker.nanoTime() + budget.toNanos());
    }

    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, atNanos - ticker.nanoTime()));
    }

    public long remainingMillis() {
        return Math.max(0, (atNanos - ticker.nanoTime()) / 1_000_000);
    }

    public boolean expired() {
        return ticker.nanoTime() >= atNanos;
    }

    /** A nearer deadline: {@code share} of the time left (1.0 = all of it). */
    public Deadline share(double share) {
        long now = ticker.nanoTime();
        long left = Math.max(0, atNanos - now);
        return new Deadline(ticker, now + (long) (left * share));
    }

    /** The earlier of this deadline and {@code budget} from now. */
    public Deadline cappedAt(Duration budget) {
        long cap = ticker.nanoTime() + budget.toNanos();
        return cap < atNanos ? new Deadline(ticker, cap) : this;
    }
}
