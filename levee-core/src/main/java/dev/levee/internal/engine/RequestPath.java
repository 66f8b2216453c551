package dev.levee.internal.engine;

import dev.levee.internal.chain.RequestChain;
import dev.levee.spi.Interceptor;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole request path, in order. Each concern is one link; a new one is one class and one line
 * here. On the way down a link may refuse the request, answer it, or pass on a changed copy; on the
 * way back every link sees the outcome (the answer with its usage and cost, or the error).
 *
 * <pre>
 * report outcome ─► validate ─► [your links: auth, limits, budget, cache] ─► resolve route ─► deadline
 *   ─► meter ─► router: route strategy ─► per target: breaker ∘ retry ∘ timeout ─► provider adapter
 * </pre>
 */
final class RequestPath {
    private RequestPath() {
    }

    static RequestChain build(Outcomes outcomes, List<Interceptor> callerLinks, Routes routes, Deadlines deadlines,
                              Metering metering, RequestChain.Terminal router) {
        List<Interceptor> links = new ArrayList<>();
        links.add(outcomes);               // outermost: sees every request's start and end, refused ones included
        links.add(new RequestValidator()); // a request levee cannot serve is refused before anything else
        links.addAll(callerLinks);         // the application's own links, before the route is fixed
        links.add(routes);                 // route alias -> tiers; an earlier link may have rewritten the alias
        links.add(deadlines);              // from the caller's deadline or max_tokens
        links.add(metering);               // on the way back: usage (estimated only when unreported) and cost
        return new RequestChain(links, router);
    }
}
