package dev.levee.routing;

import dev.levee.Attempt;
import dev.levee.ChatRequest;
import dev.levee.LeveeException;
import dev.levee.Message;
import dev.levee.config.RouteConfig;
import dev.levee.config.TierConfig;
import dev.levee.event.LeveeEvent;
import dev.levee.event.LeveeEvent.SkipReason;
import dev.levee.pipeline.Deadline;
import dev.levee.pipeline.Reply;
import dev.levee.pipeline.RequestContext;
import dev.levee.resilience.Permit;
import dev.levee.spi.FailureKind;
import dev.levee.spi.ProviderCall;
import dev.levee.spi.ProviderException;
import io.github.resilience4j.retry.Retry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One request's walk down its route's tiers. Subclasses make the upstream call (complete or
 * stream); this class decides what follows a failure: retry the tier after a backoff, fall back
 * to the next tier, or stop. Confined to the request's event loop.
 */
abstract class TierWalk {
    /** An attempt with less time than this left is not worth starting. */
    static final long MIN_ATTEMPT_MILLIS = 50;

    final Router router;
    final RequestContext ctx;
    final ChatRequest request;
    final List<TierConfig> tiers;
    final Promise<Reply> result = Promise.promise();
    ProviderException lastError;

    TierWalk(Router router, RequestContext ctx, ChatRequest request) {
        this.router = router;
        this.ctx = ctx;
        this.request = request;
        this.tiers = ctx.route().tiers();
    }

    Future<Reply> start() {
        enterTier(0);
        return result.future();
    }

    /** One attempt at a tier, holding {@code permit}; ends in {@link #attemptFailed} or a success of the subclass. */
    abstract void attempt(Step step);

    /** Every model tier failed or was skipped. */
    abstract void exhausted();

    /** Where an attempt stands: which tier, its permit, its deadline and retry budget. */
    record Step(int tier, TierConfig config, Permit permit, Deadline tierDeadline, Retry.AsyncContext<Object> budget,
                int attempt, long delayBeforeMillis, long startNanos) {
        Step next(Permit newPermit, long delayMillis) {
            return new Step(tier, config, newPermit, tierDeadline, budget, attempt + 1, delayMillis, System.nanoTime());
        }

        double elapsedMillis() {
            return (System.nanoTime() - startNanos) / 1e6;
        }
    }

    final void enterTier(int index) {
        for (int i = index; ; i++) {
            if (ctx.cancelled()) {
                fail(cancelled());
                return;
            }
            if (i >= tiers.size()) {
                exhausted();
                return;
            }
            TierConfig tier = tiers.get(i);
            if (request.options().forcesFailureOf(i)) {
                skip(i, tier, SkipReason.FORCED_FAILURE, Attempt.Outcome.FORCED_FAILURE);
                lastError = new ProviderException(FailureKind.SERVER, "forced failure (fault injection)");
                continue;
            }
            if (ctx.deadline().remainingMillis() < MIN_ATTEMPT_MILLIS) {
                skip(i, tier, SkipReason.NO_TIME_LEFT, Attempt.Outcome.FAILED);
                continue;
            }
            Permit permit = router.breakers.forTarget(tier.target()).tryAcquire();
            if (permit == null) {
                skip(i, tier, SkipReason.BREAKER_OPEN, Attempt.Outcome.SKIPPED_BREAKER_OPEN);
                continue;
            }
            boolean last = i == tiers.size() - 1;
            Deadline tierDeadline = ctx.deadline().share(last ? 1.0 : router.timeouts.tierShare());
            start(new Step(i, tier, permit, tierDeadline, router.backoff.newBudget(tier.target()), 1, 0,
                    System.nanoTime()));
            return;
        }
    }

    /** Starts an attempt, first waiting out the simulated high load when asked to. */
    private void start(Step step) {
        emit(new LeveeEvent.AttemptStarted(ctx.requestId(), now(), step.tier(), step.config().target(), step.attempt()));
        if (!request.options().simulateHighLoad()) {
            attempt(step);
            return;
        }
        long delay = Math.min(router.faults.highLoadDelay().toMillis(), step.tierDeadline().remainingMillis());
        router.vertx.setTimer(Math.max(1, delay), id -> {
            if (ctx.cancelled()) {
                step.permit().released();
                fail(cancelled());
            } else {
                attempt(step);
            }
        });
    }

    private void skip(int index, TierConfig tier, SkipReason reason, Attempt.Outcome outcome) {
        ctx.addAttempt(new Attempt(index, tier.target(), outcome, 0, reason.name().toLowerCase(java.util.Locale.ROOT),
                0, 0));
        emit(new LeveeEvent.TierSkipped(ctx.requestId(), now(), index, tier.target(), reason));
        fallingBack(index, reason.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** Decides what follows a failed attempt: stop, retry the same tier, or move to the next one. */
    final void attemptFailed(Step step, ProviderException error) {
        step.permit().failed(error);
        ctx.addAttempt(new Attempt(step.tier(), step.config().target(),
                error.kind() == FailureKind.CANCELLED ? Attempt.Outcome.CANCELLED : Attempt.Outcome.FAILED,
                error.status(), error.getMessage(), step.elapsedMillis(), step.delayBeforeMillis()));
        if (error.kind() == FailureKind.CANCELLED || ctx.cancelled()) {
            fail(cancelled());
            return;
        }
        lastError = error;
        if (error.kind() == FailureKind.CONTENT_FILTER
                && ctx.route().contentFilter() == RouteConfig.ContentFilterPolicy.ERROR) {
            emitFailed(step, error, -1);
            fail(new LeveeException(LeveeException.Kind.CONTENT_POLICY,
                    "the provider refused the content: " + error.getMessage(), ctx.requestId()));
            return;
        }
        long delay = retryDelay(step, error);
        emitFailed(step, error, delay);
        if (delay < 0) {
            fallingBack(step.tier(), error.kind().name().toLowerCase(java.util.Locale.ROOT));
            enterTier(step.tier() + 1);
            return;
        }
        router.vertx.setTimer(Math.max(1, delay), id -> {
            if (ctx.cancelled()) {
                fail(cancelled());
                return;
            }
            // Every attempt asks the breaker: retries cannot hammer a target that has just opened.
            Permit again = router.breakers.forTarget(step.config().target()).tryAcquire();
            if (again == null) {
                skip(step.tier(), step.config(), SkipReason.BREAKER_OPEN, Attempt.Outcome.SKIPPED_BREAKER_OPEN);
                enterTier(step.tier() + 1);
                return;
            }
            start(step.next(again, delay));
        });
    }

    /** The backoff before retrying this tier, or -1 to move on. */
    private long retryDelay(Step step, ProviderException error) {
        if (!error.kind().retryable()) {
            return -1;
        }
        long delay = step.budget().onError(error);
        if (delay < 0) {
            return -1;
        }
        if (error.retryAfter() != null && error.retryAfter().compareTo(router.backoff.maxRetryAfter()) > 0) {
            return -1; // waiting that long beats no other tier
        }
        // Retries never eat the time the remaining tiers need: the tier's share is the limit.
        if (delay + MIN_ATTEMPT_MILLIS > step.tierDeadline().remainingMillis()) {
            return -1;
        }
        return delay;
    }

    private void emitFailed(Step step, ProviderException error, long delay) {
        emit(new LeveeEvent.AttemptFailed(ctx.requestId(), now(), step.tier(), step.config().target(), step.attempt(),
                error.kind(), error.status(), error.getMessage(), step.elapsedMillis(), delay));
    }

    private void fallingBack(int from, String reason) {
        int to = from + 1;
        String toTarget = to < tiers.size() ? tiers.get(to).target() : "rule_based_fallback";
        if (to < tiers.size() || ctx.route().ruleBasedFallback()) {
            emit(new LeveeEvent.FallbackTriggered(ctx.requestId(), now(), from, to, toTarget, reason));
        }
    }

    /** The call for a tier: the caller's parameters with the tier's caps applied. */
    final ProviderCall callFor(TierConfig tier, List<Message> messages, Duration timeout) {
        Integer maxTokens = request.maxTokens();
        if (tier.maxTokens() != null) {
            maxTokens = maxTokens == null ? tier.maxTokens() : Math.min(maxTokens, tier.maxTokens());
        }
        Double temperature = tier.temperature() != null ? tier.temperature() : request.temperature();
        Double topP = tier.topP() != null ? tier.topP() : request.topP();
        return new ProviderCall(tier.model(), messages, maxTokens, temperature, topP, request.stop(), timeout,
                router.timeouts.streamIdle(), ctx.requestId(), Map.of(), ctx.cancellation());
    }

    /** When no tier can answer and the route has no rule-based reply. */
    final LeveeException noTierCouldAnswer() {
        if (ctx.deadline().expired()) {
            return new LeveeException(LeveeException.Kind.DEADLINE_EXCEEDED,
                    "the request's deadline passed before any tier answered", ctx.requestId());
        }
        String why = lastError == null ? "every tier's circuit breaker is open" : "last error: " + lastError;
        return new LeveeException(LeveeException.Kind.UNAVAILABLE, "no tier of route '" + ctx.route().name()
                + "' could answer (" + why + ")", ctx.requestId());
    }

    final RuleBasedReply.Reply ruleBasedReply() {
        RuleBasedReply.Reply reply = router.ruleBased.replyTo(request.lastUserText());
        emit(new LeveeEvent.RuleBasedReplyUsed(ctx.requestId(), now(), reply.matchedKeyword()));
        return reply;
    }

    final LeveeException cancelled() {
        return new LeveeException(LeveeException.Kind.CANCELLED, "cancelled by the caller", ctx.requestId());
    }

    final void fail(LeveeException error) {
        result.tryFail(error);
    }

    final void emit(LeveeEvent event) {
        router.events.emit(event);
    }

    final java.time.Instant now() {
        return ctx.clock().instant();
    }
}
