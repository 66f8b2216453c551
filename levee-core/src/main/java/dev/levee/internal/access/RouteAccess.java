package dev.levee.internal.access;

import dev.levee.LeveeException;
import dev.levee.internal.chain.Events;
import dev.levee.spi.Interceptor;
import dev.levee.spi.LeveeEvent;
import dev.levee.spi.Principal;
import dev.levee.spi.Reply;
import dev.levee.spi.RequestContext;
import io.vertx.core.Future;

/**
 * Whether the caller's key may use the resolved route: 403 naming the route when not. It sits right
 * after the route link, so it judges the route the request will really take — after any link that
 * rewrote the alias — and not the alias the caller sent.
 */
public final class RouteAccess implements Interceptor {
    private final Events events;

    public RouteAccess(Events events) {
        this.events = events;
    }

    @Override
    public Future<Reply> intercept(Chain chain) {
        RequestContext ctx = chain.context();
        Principal principal = ctx.get(RequestContext.PRINCIPAL);
        String route = ctx.route().name();
        if (principal != null && !principal.allowsRoute(route)) {
            events.emit(new LeveeEvent.AccessDenied(ctx.requestId(), ctx.clock().instant(), "route_not_allowed",
                    principal.keyId(), route));
            return Future.failedFuture(new LeveeException(LeveeException.Kind.FORBIDDEN,
                    "this API key may not use the route '" + route + "'", ctx.requestId()));
        }
        return chain.proceed(chain.request());
    }
}
