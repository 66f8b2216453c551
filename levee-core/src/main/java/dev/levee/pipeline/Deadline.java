package dev.levee.pipeline;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A point in monotonic time by which something must be done. */
public final class Deadline {
    private final LongSupplier nanoTime;
    private final long atNanos;

    private Deadline(LongSupplier nanoTime, long atNanos) {
        this.nanoTime = nanoTime;
        this.atNanos = atNanos;
    }

    public static Deadline after(Duration budget, LongSupplier nanoTime) {
        return new Deadline(nanoTime, nanoTime.getAsLong() + budget.toNanos());
    }

    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, atNanos - nanoTime.getAsLong()));
    }

    public long remainingMillis() {
        return Math.max(0, (atNanos - nanoTime.getAsLong()) / 1_000_000);
    }

    public boolean expired() {
        return nanoTime.getAsLong() >= atNanos;
    }

    /** A nearer deadline: {@code share} of the time left (1.0 = all of it). */
    public Deadline share(double share) {
        long now = nanoTime.getAsLong();
        long left = Math.max(0, atNanos - now);
        return new Deadline(nanoTime, now + (long) (left * share));
    }

    /** The earlier of this deadline and {@code budget} from now. */
    public Deadline cappedAt(Duration budget) {
        long cap = nanoTime.getAsLong() + budget.toNanos();
        return cap < atNanos ? new Deadline(nanoTime, cap) : this;
    }
}
