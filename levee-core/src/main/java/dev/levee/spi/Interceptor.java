package dev.levee.spi;

import dev.levee.ChatRequest;
import io.vertx.core.Future;

/**
 * One link of the request chain (authentication, limits, budgets, caching, a header check…). A
 * link may answer by itself, refuse the request with a failed future, pass a changed request on —
 * a different {@link ChatRequest#route() route} included, since the route is resolved after the
 * caller's links — or pass it on unchanged with {@link Chain#proceed}, at most once. What
 * {@code proceed} returns is the outcome on its way back; {@link Reply#settle} sees its end, for a
 * stream too. Links run on the request's event loop: never block.
 */
@FunctionalInterface
public interface Interceptor {
    Future<Reply> intercept(Chain chain);

    interface Chain {
        RequestContext context();

        ChatRequest request();

        /** Runs the rest of the chain with {@code request}; may be called at most once per link. */
        Future<Reply> proceed(ChatRequest request);
    }
}
