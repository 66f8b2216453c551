package dev.levee.internal.routing;

import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.DegradationMode;
import dev.levee.FinishReason;
import dev.levee.LeveeException;
import dev.levee.Message;
import dev.levee.Usage;
import dev.levee.config.Capabilities.Capability;
import dev.levee.config.RouteConfig;
import dev.levee.config.TierConfig;
import dev.levee.internal.chain.RequestState;
import dev.levee.internal.resilience.Target;
import dev.levee.internal.resilience.TargetCall;
import dev.levee.internal.resilience.TargetFailure;
import dev.levee.spi.FailureKind;
import dev.levee.spi.LeveeEvent;
import dev.levee.spi.LeveeEvent.SkipReason;
import dev.levee.spi.ProviderCall;
import dev.levee.spi.ProviderException;
import dev.levee.spi.Principal;
import dev.levee.spi.ProviderReply;
import dev.levee.spi.RequestContext;
import dev.levee.spi.Reply;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One request's walk along the targets its route strategy chooses: each through its guards until one
 * answers, then the rule-based reply. A stream that is cut after its commit point comes back here
 * ({@link #continuation}) for the next target that can continue it. Confined to the request's context.
 */
final class TierWalk {
    private final Router router;
    final RequestState ctx;
    final ChatRequest request;
    private final RouteConfig route;
    private final RouteStrategy.Plan plan;
    private final Promise<Reply> result = Promise.promise();
    private final Set<Capability> needs;
    private ProviderException lastError;
    /** Whether a target was called or skipped for a reason other than a missing capability. */
    private boolean anyCapable;
    private final List<String> unable = new ArrayList<>();
    /** Who is shed last: the key's priority; the master key is critical. */
    private final String priority;
    private final DegradationMode mode;
    /** The target whose bulkhead this request has a place in, or {@code null}. */
    private String held;
    /** Whether a target was passed over for being as full as this request's priority may find it. */
    private boolean saturated;
    /** Whether a target was called. */
    private boolean called;
    /** Whether the walk met trouble: a failed target or an open breaker. */
    private boolean trouble;

    TierWalk(Router router, RequestState ctx, ChatRequest request) {
        this.router = router;
        this.ctx = ctx;
        this.request = request;
        this.route = ctx.route();
        this.plan = router.strategy.plan(route, request);
        this.needs = Requirements.of(request);
        Principal principal = ctx.get(RequestContext.PRINCIPAL);
        this.priority = principal == null ? "standard" : principal.master() ? "critical"
                : principal.limits().priority() == null ? "standard" : principal.limits().priority();
        this.mode = router.degradation.mode();
    }

    Future<Reply> start() {
        if (mode == DegradationMode.EMERGENCY && !"critical".equals(priority)) {
            heldBack(); // an emergency keeps the providers for critical keys
        } else {
            next();
        }
        return result.future();
    }

    /** Gives up this request's place in a target's bulkhead; the request is over. */
    void release() {
        if (held != null) {
            router.bulkheads.leave(held);
            held = null;
        }
    }

    /** A place in {@code target}'s bulkhead for this request's priority (keeping the one it has there). */
    private boolean enter(String target) {
        if (target.equals(held)) {
            return true;
        }
        if (!router.bulkheads.tryEnter(target, priority)) {
            return false;
        }
        release();
        held = target;
        return true;
    }

    private void next() {
        if (ctx.cancelled()) {
            result.tryFail(cancelled());
            return;
        }
        RouteStrategy.Candidate candidate = nextCandidate();
        if (candidate == null) {
            exhausted();
            return;
        }
        TierConfig tier = candidate.config();
        Target target = new Target(candidate.tier(), tier,
                ctx.deadline().share(candidate.last() ? 1.0 : router.timeouts.tierShare()), candidate.last());
        called = true;
        if (ctx.stream()) {
            router.targets.stream(ctx, target, timeout -> callFor(tier, request.messages(), timeout)).onComplete(ar -> {
                if (ar.succeeded()) {
                    router.degradation.record(trouble, false);
                    result.tryComplete(new Reply.Streaming(new ContinuedStream(this, ar.result())));
                } else {
                    targetFailed(target, ar.cause());
                }
            });
        } else {
            router.targets.complete(ctx, target, timeout -> callFor(tier, request.messages(), timeout)).onComplete(ar -> {
                if (ar.succeeded()) {
                    router.degradation.record(trouble, false);
                    result.tryComplete(new Reply.Complete(answered(target, ar.result())));
                } else {
                    targetFailed(target, ar.cause());
                }
            });
        }
    }

    /**
     * The next target worth calling; those that cannot honour the request, must fail by fault injection
     * or have no time left are skipped.
     */
    private RouteStrategy.Candidate nextCandidate() {
        for (RouteStrategy.Candidate c = plan.next(); c != null; c = plan.next()) {
            Capability missing = Requirements.missing(needs, c.config().capabilities());
            if (missing != null) {
                unable.add(c.config().target() + " has no " + missing.key());
                router.targets.attempts().skipped(ctx, c.tier(), c.config().target(), SkipReason.UNSUPPORTED,
                        "unsupported: " + missing.key());
                fallingBack(c.tier(), SkipReason.UNSUPPORTED.name());
                continue;
            }
            anyCapable = true;
            if (request.options().forcesFailureOf(c.tier())) {
                skip(c, SkipReason.FORCED_FAILURE);
                lastError = new ProviderException(FailureKind.SERVER, "forced failure (fault injection)");
            } else if (mode != DegradationMode.NORMAL && c.config().expensive()) {
                skip(c, SkipReason.DEGRADED);
            } else if (ctx.deadline().remainingMillis() < TargetCall.MIN_ATTEMPT_MILLIS) {
                skip(c, SkipReason.NO_TIME_LEFT);
            } else if (!enter(c.config().target())) {
                saturated = true;
                skip(c, SkipReason.SATURATED);
            } else {
                return c;
            }
        }
        return null;
    }

    private void skip(RouteStrategy.Candidate c, SkipReason reason) {
        router.targets.attempts().skipped(ctx, c.tier(), c.config().target(), reason);
        fallingBack(c.tier(), reason.name());
    }

    private void targetFailed(Target target, Throwable cause) {
        TargetFailure failure = (TargetFailure) cause;
        switch (failure.why()) {
            case CANCELLED -> result.tryFail(cancelled());
            case BREAKER_OPEN -> {
                trouble = true;
                fallingBack(target.tier(), SkipReason.BREAKER_OPEN.name());
                next();
            }
            case FAILED -> {
                trouble = true;
                ProviderException error = failure.error();
                lastError = error;
                if (error.kind() == FailureKind.CONTENT_FILTER
                        && route.contentFilter() == RouteConfig.ContentFilterPolicy.ERROR) {
                    result.tryFail(new LeveeException(LeveeException.Kind.CONTENT_POLICY,
                            "the provider refused the content: " + error.getMessage(), ctx.requestId()));
                    return;
                }
                if (error.kind() == FailureKind.BAD_REQUEST) {
                    // The caller's own mistake, judged by the provider: a fallback would only hide it.
                    result.tryFail(new LeveeException(LeveeException.Kind.INVALID_REQUEST,
                            "the provider rejected the request as invalid: " + error.getMessage(), ctx.requestId()));
                    return;
                }
                fallingBack(target.tier(), error.kind().name());
                next();
            }
        }
    }

    private ChatResponse answered(Target target, TargetCall.Answer<ProviderReply> answer) {
        ProviderReply reply = answer.value();
        String model = reply.model() == null || reply.model().isEmpty() ? target.config().model() : reply.model();
        return new ChatResponse(reply.text(), model, target.config().provider(), route.name(),
                reply.usage() == null ? Usage.NONE : reply.usage(), reply.finishReason(), ctx.elapsedMillis(),
                target.tier(), ctx.requestId(), now(), ctx.attempts(), reply.toolCalls(), reply.logprobs(),
                reply.provenance(), answer.notApplied(), reply.embeddings());
    }

    /** Every target failed or was skipped: the rule-based reply when the route has one for this request. */
    private void exhausted() {
        if (!anyCapable && !unable.isEmpty()) {
            String field = Requirements.field(missingEverywhere());
            result.tryFail(new LeveeException(LeveeException.Kind.INVALID_REQUEST, "no tier of route '"
                    + route.name() + "' can honour " + field + " (" + String.join("; ", unable) + ")",
                    ctx.requestId(), field));
            return;
        }
        if (saturated && !called) { // every target it could use was full: shed, before anything went upstream
            result.tryFail(new LeveeException(LeveeException.Kind.OVERLOADED, "shed under load: every target of"
                    + " route '" + route.name() + "' has as many requests in flight as a " + priority
                    + " request may find there; retry in a moment", ctx.requestId()));
            return;
        }
        router.degradation.record(true, true);
        ruleBasedOrFail();
    }

    /** Emergency mode and not a critical key: the rule-based reply, or a refusal saying why. */
    private void heldBack() {
        if (!route.ruleBasedFallback() || request.isEmbedding()
                || (request.structured() && !route.ruleBasedForStructured())) {
            result.tryFail(new LeveeException(LeveeException.Kind.OVERLOADED, "the gateway is in emergency mode"
                    + " and serves only critical keys; retry later", ctx.requestId()));
            return;
        }
        ruleBasedOrFail();
    }

    private void ruleBasedOrFail() {
        // canned text is no vector: an embeddings request that no tier answered fails
        if (!route.ruleBasedFallback() || request.isEmbedding()
                || (request.structured() && !route.ruleBasedForStructured())) {
            result.tryFail(noTierCouldAnswer());
            return;
        }
        RuleBasedReply.Reply reply = router.ruleBased.replyTo(request.lastUserText());
        emit(new LeveeEvent.RuleBasedReplyUsed(ctx.requestId(), now(), reply.matchedKeyword()));
        int level = route.tiers().size();
        ChatResponse response = new ChatResponse(reply.text(), ChatResponse.RULE_BASED, null, route.name(),
                Usage.NONE, FinishReason.STOP, ctx.elapsedMillis(), level, ctx.requestId(), now(), ctx.attempts());
        result.tryComplete(ctx.stream() ? new Reply.Streaming(new StaticStream(response, level))
                : new Reply.Complete(response));
    }

    /**
     * Continues a stream cut after its commit point on the next target that accepts an assistant
     * prefill, with the partial answer as that prefill. Fails with the last {@link ProviderException}
     * when none is left, or with a cancelled {@link TargetFailure}.
     */
    Future<TargetCall.Answer<TargetCall.Opened>> continuation(int fromTier, String partial, ProviderException cause) {
        for (RouteStrategy.Candidate c = plan.next(); c != null; c = plan.next()) {
            if (c.config().continuation() == TierConfig.Continuation.NONE
                    || Requirements.missing(needs, c.config().capabilities()) != null
                    || request.options().forcesFailureOf(c.tier())) {
                continue;
            }
            emit(new LeveeEvent.StreamContinued(ctx.requestId(), now(), fromTier, c.tier(), c.config().target(),
                    partial.length(), cause.kind().name().toLowerCase(Locale.ROOT)));
            return continueOn(c.tier(), c.config(), c.last(), partial, cause);
        }
        return Future.failedFuture(cause);
    }

    /**
     * One target's continuation, as its tier says: a prefill, or the partial answer and an
     * instruction. A target that refuses the prefill itself (a 400: its table entry or config said it
     * takes one, the model does not) is asked again at once with the instruction, which every chat
     * model can follow; any other failure moves on to the next tier.
     */
    private Future<TargetCall.Answer<TargetCall.Opened>> continueOn(int index, TierConfig tier, boolean last,
                                                                   String partial, ProviderException cause) {
        List<Message> messages = new java.util.ArrayList<>(request.messages());
        messages.add(Message.assistant(partial));
        if (tier.continuation() == TierConfig.Continuation.INSTRUCTION) {
            messages.add(Message.user(CONTINUE));
        }
        // the target's tier says how it continued: the splice removes the overlap an instruction brings
        Target target = new Target(index, tier, continuationDeadline(), last);
        return router.targets.stream(ctx, target, timeout -> callFor(tier, messages, timeout))
                .recover(failure -> {
                    if (!(failure instanceof TargetFailure tf) || tf.why() == TargetFailure.Why.CANCELLED) {
                        return Future.failedFuture(failure);
                    }
                    ProviderException error = tf.error() == null ? cause : tf.error();
                    if (tier.continuation() == TierConfig.Continuation.PREFILL
                            && error.kind() == FailureKind.BAD_REQUEST) {
                        emit(new LeveeEvent.StreamContinued(ctx.requestId(), now(), index, index, tier.target(),
                                partial.length(), "prefill_rejected"));
                        return continueOn(index, tier.withContinuation(TierConfig.Continuation.INSTRUCTION), last, partial,
                                error);
                    }
                    return continuation(index, partial, error);
                });
    }

    /** What a tier without prefill is told, after the partial answer, to continue it. */
    static final String CONTINUE = "Your previous answer was cut off. Continue it exactly where it stopped, "
            + "without repeating anything and without any preface.";

    /**
     * A continuation's own time: what is left of the request's deadline, or, when a long healthy
     * stream has used it up, a first-token wait plus an idle limit — a rescue is never refused for lack
     * of time the stream itself was allowed to take.
     */
    private dev.levee.spi.Deadline continuationDeadline() {
        java.time.Duration own = router.timeouts.firstToken().plus(router.timeouts.streamIdle());
        return ctx.deadline().remaining().compareTo(own) >= 0 ? ctx.deadline()
                : dev.levee.spi.Deadline.after(own, ctx.ticker());
    }

    private void fallingBack(int from, String reason) {
        int to = from + 1;
        List<TierConfig> tiers = route.tiers();
        String toTarget = to < tiers.size() ? tiers.get(to).target() : ChatResponse.RULE_BASED;
        if (to < tiers.size() || route.ruleBasedFallback()) {
            emit(new LeveeEvent.FallbackTriggered(ctx.requestId(), now(), from, to, toTarget,
                    reason.toLowerCase(Locale.ROOT)));
        }
    }

    /**
     * The capability no tier had, for the caller's error: the first need some tier lacked. A tier that
     * cannot chat at all (an embedding model) says nothing about what a chat request's other fields
     * ask, so for those it is the tiers that chat that count; chat itself is named only when none does.
     */
    private Capability missingEverywhere() {
        boolean chat = needs.contains(Capability.CHAT);
        for (Capability c : needs) {
            if (c == Capability.CHAT) {
                continue;
            }
            for (TierConfig tier : route.tiers()) {
                if ((!chat || tier.capabilities().has(Capability.CHAT)) && !tier.capabilities().has(c)) {
                    return c;
                }
            }
        }
        return needs.iterator().next();
    }

    /** The call for a tier: the caller's request with the tier's caps applied, and only those. */
    private ProviderCall callFor(TierConfig tier, List<Message> messages, Duration timeout) {
        ChatRequest.Builder call = request.toBuilder().messages(messages);
        Integer cap = tier.maxTokens();
        if (mode != DegradationMode.NORMAL) { // degraded: shorter answers for everyone
            cap = cap == null ? router.degradation.degradedMaxTokens() : Math.min(cap, router.degradation.degradedMaxTokens());
        }
        if (cap != null) {
            call.maxTokens(request.maxTokens() == null ? cap : Math.min(request.maxTokens(), cap));
        }
        if (tier.temperature() != null) {
            call.temperature(tier.temperature());
        }
        if (tier.topP() != null) {
            call.topP(tier.topP());
        }
        if (request.isEmbedding() && request.embedding().dimensions() == null && tier.dimensions() != null) {
            call.embedding(new dev.levee.EmbeddingInput(request.embedding().texts(), tier.dimensions()));
        }
        return new ProviderCall(tier.model(), call.build(), timeout, router.timeouts.streamIdle(), ctx.requestId(),
                Map.of(), ctx.cancellation());
    }

    /** When no tier can answer and the route has no rule-based reply. */
    private LeveeException noTierCouldAnswer() {
        if (ctx.deadline().expired()) {
            return new LeveeException(LeveeException.Kind.DEADLINE_EXCEEDED,
                    "the request's deadline passed before any tier answered", ctx.requestId());
        }
        String why = lastError == null ? "every tier's circuit breaker is open" : "last error: " + lastError;
        return new LeveeException(LeveeException.Kind.UNAVAILABLE, "no tier of route '" + route.name()
                + "' could answer (" + why + ")", ctx.requestId());
    }

    LeveeException cancelled() {
        return new LeveeException(LeveeException.Kind.CANCELLED, "cancelled by the caller", ctx.requestId());
    }

    void emit(LeveeEvent event) {
        router.events.emit(event);
    }

    Instant now() {
        return ctx.clock().instant();
    }
}
