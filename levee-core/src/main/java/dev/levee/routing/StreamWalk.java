package dev.levee.routing;

import dev.levee.ChatChunk;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.FinishReason;
import dev.levee.Usage;
import dev.levee.pipeline.Reply;
import dev.levee.pipeline.RequestContext;
import dev.levee.spi.FailureKind;
import dev.levee.spi.ProviderException;
import dev.levee.spi.ProviderStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming request up to its commit point. Until a tier produces its first content chunk,
 * every failure — an error status, a reset, no first token in time, a stall, an error event — is
 * retried or falls back exactly as for a completion, invisibly to the caller. The first content
 * commits the answer to that tier and hands over to {@link RoutedStream}.
 */
final class StreamWalk extends TierWalk {

    StreamWalk(Router router, RequestContext ctx, ChatRequest request) {
        super(router, ctx, request);
    }

    Duration firstTokenBudget(Step step) {
        Duration firstToken = router.timeouts.firstToken();
        Duration left = step.tierDeadline().remaining();
        return firstToken.compareTo(left) < 0 ? firstToken : left;
    }

    @Override
    void attempt(Step step) {
        router.adapters.get(step.config().provider())
                .stream(callFor(step.config(), request.messages(), firstTokenBudget(step)))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        attemptFailed(step, ar.cause() instanceof ProviderException pe ? pe
                                : new ProviderException(FailureKind.MALFORMED, String.valueOf(ar.cause())));
                    } else {
                        watch(step, ar.result());
                    }
                });
    }

    /** Reads the fresh stream until its first content (commit) or its failure (next attempt). */
    private void watch(Step step, ProviderStream upstream) {
        if (ctx.cancelled()) {
            upstream.cancel();
            attemptFailed(step, new ProviderException(FailureKind.CANCELLED, "cancelled by the caller"));
            return;
        }
        List<ChatChunk> early = new ArrayList<>();
        boolean[] committed = {false};
        ctx.onCancel(upstream::cancel);
        upstream.handler(chunk -> {
            early.add(chunk);
            if (chunk.hasContent() && !committed[0]) {
                committed[0] = true;
                commit(step, upstream, early, false);
            }
        });
        upstream.endHandler(v -> {
            if (!committed[0]) {
                committed[0] = true; // an empty answer is still an answer
                commit(step, upstream, early, true);
            }
        });
        upstream.exceptionHandler(e -> {
            if (!committed[0]) {
                attemptFailed(step, e instanceof ProviderException pe ? pe
                        : new ProviderException(FailureKind.STREAM_CUT, String.valueOf(e)));
            }
        });
        upstream.resume();
    }

    private void commit(Step step, ProviderStream upstream, List<ChatChunk> early, boolean ended) {
        upstream.pause();
        result.tryComplete(new Reply.Streaming(new RoutedStream(this, step, upstream, early, ended)));
    }

    @Override
    void exhausted() {
        if (!ctx.route().ruleBasedFallback()) {
            fail(noTierCouldAnswer());
            return;
        }
        RuleBasedReply.Reply reply = ruleBasedReply();
        ChatResponse response = new ChatResponse(reply.text(), ChatResponse.RULE_BASED, null, ctx.route().name(),
                Usage.NONE, FinishReason.STOP, ctx.elapsedMillis(), tiers.size(), ctx.requestId(), now(),
                ctx.attempts());
        result.tryComplete(new Reply.Streaming(new StaticStream(response, tiers.size())));
    }
}
