package dev.levee.internal.resilience;

import dev.levee.Attempt;
import dev.levee.Ticker;
import dev.levee.internal.chain.Events;
import dev.levee.internal.chain.RequestState;
import dev.levee.spi.FailureKind;
import dev.levee.spi.LeveeEvent;
import dev.levee.spi.LeveeEvent.SkipReason;
import dev.levee.spi.ProviderException;
import java.util.Locale;

/**
 * The one place attempts are recorded: on the request's attempt list, as events, and — through the
 * permit — on the target's breaker. Each attempt's outcome is recorded exactly once, whichever of
 * success, failure or cancellation comes first (a stream can end, fail and be cancelled in any order).
 */
public final class Attempts {
    private final Events events;
    private final Ticker ticker;

    public Attempts(Events events, Ticker ticker) {
        this.events = events;
        this.ticker = ticker;
    }

    /** A target passed over without an upstream call. */
    public void skipped(RequestState ctx, int tier, String target, SkipReason reason) {
        skipped(ctx, tier, target, reason, reason.name().toLowerCase(Locale.ROOT));
    }

    /** A target passed over without an upstream call, with what the attempt list says of it. */
    public void skipped(RequestState ctx, int tier, String target, SkipReason reason, String why) {
        Attempt.Outcome outcome = switch (reason) {
            case BREAKER_OPEN -> Attempt.Outcome.SKIPPED_BREAKER_OPEN;
            case FORCED_FAILURE -> Attempt.Outcome.FORCED_FAILURE;
            case NO_TIME_LEFT -> Attempt.Outcome.FAILED;
            case UNSUPPORTED -> Attempt.Outcome.SKIPPED_UNSUPPORTED;
            case SATURATED -> Attempt.Outcome.SKIPPED_SATURATED;
            case DEGRADED -> Attempt.Outcome.SKIPPED_DEGRADED;
        };
        ctx.addAttempt(new Attempt(tier, target, outcome, 0, why, 0, 0));
        events.emit(new LeveeEvent.TierSkipped(ctx.requestId(), ctx.clock().instant(), tier, target, reason));
    }

    Tracked start(RequestState ctx, Target target, Permit permit, int number, long delayBeforeMillis) {
        events.emit(new LeveeEvent.AttemptStarted(ctx.requestId(), ctx.clock().instant(), target.tier(), target.name(),
                number));
        return new Tracked(ctx, target, permit, number, delayBeforeMillis, ticker.nanoTime());
    }

    /** One attempt in flight, holding its breaker permit until its outcome is recorded. */
    public final class Tracked {
        private final RequestState ctx;
        private final Target target;
        private final Permit permit;
        private final int number;
        private final long delayBeforeMillis;
        private final long startNanos;
        private boolean recorded;

        private Tracked(RequestState ctx, Target target, Permit permit, int number, long delayBeforeMillis,
                        long startNanos) {
            this.ctx = ctx;
            this.target = target;
            this.permit = permit;
            this.number = number;
            this.delayBeforeMillis = delayBeforeMillis;
            this.startNanos = startNanos;
        }

        public Target target() {
            return target;
        }

        public int number() {
            return number;
        }

        double elapsedMillis() {
            return (ticker.nanoTime() - startNanos) / 1e6;
        }

        private boolean firstRecord() {
            if (recorded) {
                return false;
            }
            recorded = true;
            return true;
        }

        /** The target answered: for a stream, at its proper end. */
        public void succeeded() {
            if (!firstRecord()) {
                return;
            }
            permit.succeeded();
            ctx.addAttempt(new Attempt(target.tier(), target.name(), Attempt.Outcome.SUCCEEDED, 200, null,
                    elapsedMillis(), delayBeforeMillis));
            events.emit(new LeveeEvent.AttemptSucceeded(ctx.requestId(), ctx.clock().instant(), target.tier(),
                    target.name(), number, elapsedMillis()));
        }

        /**
         * The target failed.
         *
         * @param retryDelayMillis the wait before the same target is tried again, or -1 when it is not
         */
        public void failed(ProviderException error, long retryDelayMillis) {
            if (!firstRecord()) {
                return;
            }
            permit.failed(error);
            boolean cancelled = error.kind() == FailureKind.CANCELLED;
            ctx.addAttempt(new Attempt(target.tier(), target.name(),
                    cancelled ? Attempt.Outcome.CANCELLED : Attempt.Outcome.FAILED, error.status(), error.getMessage(),
                    elapsedMillis(), delayBeforeMillis));
            if (!cancelled) {
                events.emit(new LeveeEvent.AttemptFailed(ctx.requestId(), ctx.clock().instant(), target.tier(),
                        target.name(), number, error.kind(), error.status(), error.getMessage(), elapsedMillis(),
                        retryDelayMillis));
            }
        }

        /** The caller went away after the target had started answering: neither success nor failure. */
        public void cancelled() {
            if (!firstRecord()) {
                return;
            }
            permit.released();
            ctx.addAttempt(new Attempt(target.tier(), target.name(), Attempt.Outcome.CANCELLED, 200,
                    "cancelled by the caller", elapsedMillis(), delayBeforeMillis));
        }
    }
}
