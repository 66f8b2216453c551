package dev.levee.internal.engine;

import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.FinishReason;
import dev.levee.Tool;
import dev.levee.Usage;
import dev.levee.internal.chain.RequestChain;
import dev.levee.internal.chain.RequestState;
import dev.levee.internal.tokens.TokenEstimator;
import dev.levee.spi.Reply;
import io.vertx.core.Future;
import java.util.List;

/**
 * The end of the counting path ({@code Levee.countTokens}): what a request's input comes to in
 * tokens, counted by levee — cl100k with chat framing, the tools' names, descriptions and schemas
 * included — without calling a provider. An estimate for models with other tokenizers (Claude's is
 * not public), and marked so: {@link Usage#estimated()}.
 */
final class TokenCounter implements RequestChain.Terminal {
    /** What {@link ChatResponse#modelUsed()} says of a count: levee's own, no model's. */
    static final String COUNTER = "levee-token-counter";

    @Override
    public Future<Reply> answer(RequestState ctx, ChatRequest request) {
        int tokens = TokenEstimator.estimate(request.messages(), null).promptTokens();
        for (Tool tool : request.tools()) {
            tokens += TokenEstimator.count(tool.name()) + TokenEstimator.count(tool.description())
                    + (tool.parameters() == null ? 0 : TokenEstimator.count(tool.parameters().toString()));
        }
        ChatResponse counted = new ChatResponse("", COUNTER, null, ctx.route() == null ? null : ctx.route().name(),
                new Usage(tokens, 0, tokens, true), FinishReason.STOP, ctx.elapsedMillis(), 0, ctx.requestId(),
                ctx.clock().instant(), List.of());
        return Future.succeededFuture(new Reply.Complete(counted));
    }
}
