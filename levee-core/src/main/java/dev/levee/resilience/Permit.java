package dev.levee.resilience;

import dev.levee.spi.ProviderException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One attempt's permission from a target's breaker. Its outcome is recorded exactly once, whichever
 * of success, failure or release comes first: a stream can end, fail and be cancelled in any order
 * (STACK.md P3).
 */
public final class Permit {
    private final TargetGuard guard;
    private final long startNanos;
    private final AtomicBoolean settled = new AtomicBoolean();

    Permit(TargetGuard guard, long startNanos) {
        this.guard = guard;
        this.startNanos = startNanos;
    }

    public void succeeded() {
        if (settled.compareAndSet(false, true)) {
            guard.recordSuccess(System.nanoTime() - startNanos);
        }
    }

    /** Records the failure, or only releases the permit when the failure is not the target's fault. */
    public void failed(ProviderException error) {
        if (settled.compareAndSet(false, true)) {
            if (error.kind().countsAgainstTarget()) {
                guard.recordFailure(System.nanoTime() - startNanos, error);
            } else {
                guard.release();
            }
        }
    }

    /** Neither success nor failure, e.g. the client went away. */
    public void released() {
        if (settled.compareAndSet(false, true)) {
            guard.release();
        }
    }

    long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    static long toMillis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
