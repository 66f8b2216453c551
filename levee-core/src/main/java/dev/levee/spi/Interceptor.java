package dev.levee.spi;

import dev.levee.ChatRequest;
import dev.levee.pipeline.Reply;
import dev.levee.pipeline.RequestContext;
import io.vertx.core.Future;

/**
 * One step of the request pipeline (validation, guards, auth, rate limits, caching). It may answer
 * by itself, change the request, or pass it on with {@link Chain#proceed} — at most once.
 */
@FunctionalInterface
public interface Interceptor {
    Future<Reply> intercept(Chain chain);

    interface Chain {
        RequestContext context();

        ChatRequest request();

        Future<Reply> proceed(ChatRequest request);
    }
}
