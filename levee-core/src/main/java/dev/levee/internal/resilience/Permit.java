package dev.levee.internal.resilience;

import dev.levee.Ticker;
import dev.levee.spi.ProviderException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One attempt's permission from a target's breaker. Its outcome is recorded exactly once, whichever
 * of success, failure or release comes first: a stream can end, fail and be cancelled in any order
 * (a reset fires the stream's exception handler synchronously, so the order is not ours to choose).
 */
public final class Permit {
    private final TargetGuard guard;
    private final Ticker ticker;
    private final long startNanos;
    private final AtomicBoolean settled = new AtomicBoolean();

    Permit(TargetGuard guard, Ticker ticker) {
        this.guard = guard;
        this.ticker = ticker;
        this.startNanos = ticker.nanoTime();
    }

    public void succeeded() {
        if (settled.compareAndSet(false, true)) {
            guard.recordSuccess(ticker.nanoTime() - startNanos);
        }
    }

    /** Records the failure, or only releases the permit when the failure is not the target's fault. */
    public void failed(ProviderException error) {
        if (settled.compareAndSet(false, true)) {
            if (error.kind().countsAgainstTarget()) {
                guard.recordFailure(ticker.nanoTime() - startNanos, error);
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

}
