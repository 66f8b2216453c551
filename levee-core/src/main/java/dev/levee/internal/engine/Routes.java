package dev.levee.internal.engine;

import dev.levee.LeveeException;
import dev.levee.config.LeveeConfig;
import dev.levee.config.RouteConfig;
import dev.levee.internal.text.Printable;
import dev.levee.spi.Interceptor;
import dev.levee.spi.Reply;
import dev.levee.spi.RequestContext;
import io.vertx.core.Future;

/** Resolves the request's route alias ({@code model} in the OpenAI API) to its tiers: 404 for an unknown one. */
final class Routes implements Interceptor {
    private final LeveeConfig config;

    Routes(LeveeConfig config) {
        this.config = config;
    }

    @Override
    public Future<Reply> intercept(Chain chain) {
        String alias = chain.request().route();
        RouteConfig route = config.route(alias);
        if (route == null) {
            return Future.failedFuture(new LeveeException(LeveeException.Kind.UNKNOWN_ROUTE, "no route named '"
                    + Printable.of(alias, 64) + "' (routes: " + String.join(", ", config.routes().keySet()) + ")",
                    chain.context().requestId()));
        }
        chain.context().put(RequestContext.ROUTE, route);
        return chain.proceed(chain.request());
    }
}
