package dev.levee.internal.engine;

import dev.levee.Ticker;
import dev.levee.config.ResilienceConfig;
import dev.levee.spi.Deadline;
import dev.levee.spi.Interceptor;
import dev.levee.spi.Reply;
import dev.levee.spi.RequestContext;
import io.vertx.core.Future;
import java.time.Duration;

/**
 * Gives the request its deadline: the caller's own, else {@code min(base + per_token x max_tokens, max)}.
 * Every target call inside it shares what is left, so the whole request never hangs.
 */
final class Deadlines implements Interceptor {
    private final ResilienceConfig.Timeout timeouts;
    private final Ticker ticker;

    Deadlines(ResilienceConfig.Timeout timeouts, Ticker ticker) {
        this.timeouts = timeouts;
        this.ticker = ticker;
    }

    @Override
    public Future<Reply> intercept(Chain chain) {
        Duration budget = chain.request().options().deadline() != null ? chain.request().options().deadline()
                : timeouts.deadlineFor(chain.request().maxTokens());
        chain.context().put(RequestContext.DEADLINE, Deadline.after(budget, ticker));
        return chain.proceed(chain.request());
    }
}
