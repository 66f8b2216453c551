package dev.levee.internal.engine;

import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.Usage;
import dev.levee.config.LeveeConfig;
import dev.levee.internal.tokens.TokenEstimator;
import dev.levee.spi.Interceptor;
import dev.levee.spi.Reply;
import dev.levee.spi.RequestContext;
import io.vertx.core.Future;

/**
 * On the way back: the answer's usage — the provider's own, estimated with a tokenizer only when it
 * reported none — and its exact cost from the price table, put on the context for the links above.
 */
final class Metering implements Interceptor {
    private final LeveeConfig config;

    Metering(LeveeConfig config) {
        this.config = config;
    }

    @Override
    public Future<Reply> intercept(Chain chain) {
        RequestContext ctx = chain.context();
        return Reply.settle(chain.proceed(chain.request()), new Reply.Settlement() {
            @Override
            public ChatResponse answered(ChatResponse response) {
                ChatResponse metered = response;
                if (response.usage().equals(Usage.NONE) && !response.ruleBased()) {
                    ChatRequest request = ctx.request();
                    if (request.isEmbedding()) {
                        int input = TokenEstimator.inputTokens(request.embedding().texts(), Integer.MAX_VALUE);
                        metered = response.withUsage(new Usage(input, 0, input, true));
                    } else {
                        metered = response.withUsage(TokenEstimator.estimate(request.messages(), response.text()));
                    }
                }
                ctx.put(RequestContext.COST_NANOS, costNanos(metered));
                return metered;
            }
        }, ctx.requestId());
    }

    private long costNanos(ChatResponse response) {
        if (response.provider() == null) {
            return 0;
        }
        return config.priceOf(response.provider(), response.modelUsed()).costNanos(response.usage().promptTokens(), response.usage().completionTokens());
    }
}
