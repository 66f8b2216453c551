package dev.levee.routing;

import dev.levee.Attempt;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.FinishReason;
import dev.levee.Usage;
import dev.levee.event.LeveeEvent;
import dev.levee.pipeline.Reply;
import dev.levee.pipeline.RequestContext;
import dev.levee.spi.FailureKind;
import dev.levee.spi.ProviderAdapter;
import dev.levee.spi.ProviderException;
import dev.levee.spi.ProviderReply;

/** A non-streaming request: each attempt must return the complete answer within its budget. */
final class CompletionWalk extends TierWalk {

    CompletionWalk(Router router, RequestContext ctx, ChatRequest request) {
        super(router, ctx, request);
    }

    @Override
    void attempt(Step step) {
        ProviderAdapter adapter = router.adapters.get(step.config().provider());
        adapter.complete(callFor(step.config(), request.messages(), step.tierDeadline().remaining()))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        succeeded(step, ar.result());
                    } else {
                        attemptFailed(step, ar.cause() instanceof ProviderException pe ? pe
                                : new ProviderException(FailureKind.MALFORMED, String.valueOf(ar.cause())));
                    }
                });
    }

    private void succeeded(Step step, ProviderReply reply) {
        step.permit().succeeded();
        ctx.addAttempt(new Attempt(step.tier(), step.config().target(), Attempt.Outcome.SUCCEEDED, 200, null,
                step.elapsedMillis(), step.delayBeforeMillis()));
        emit(new LeveeEvent.AttemptSucceeded(ctx.requestId(), now(), step.tier(), step.config().target(),
                step.attempt(), step.elapsedMillis()));
        String model = reply.model() == null || reply.model().isEmpty() ? step.config().model() : reply.model();
        result.tryComplete(new Reply.Complete(new ChatResponse(reply.text(), model, step.config().provider(),
                ctx.route().name(), reply.usage() == null ? Usage.NONE : reply.usage(), reply.finishReason(),
                ctx.elapsedMillis(), step.tier(), ctx.requestId(), now(), ctx.attempts())));
    }

    @Override
    void exhausted() {
        if (!ctx.route().ruleBasedFallback()) {
            fail(noTierCouldAnswer());
            return;
        }
        RuleBasedReply.Reply reply = ruleBasedReply();
        result.tryComplete(new Reply.Complete(new ChatResponse(reply.text(), ChatResponse.RULE_BASED, null,
                ctx.route().name(), Usage.NONE, FinishReason.STOP, ctx.elapsedMillis(), tiers.size(),
                ctx.requestId(), now(), ctx.attempts())));
    }
}
