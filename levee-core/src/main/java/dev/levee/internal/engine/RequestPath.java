package dev.levee.internal.engine;

import dev.levee.internal.access.Authentication;
import dev.levee.internal.access.RouteAccess;
import dev.levee.internal.chain.RequestChain;
import dev.levee.internal.limits.Limits;
import dev.levee.spi.Interceptor;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole request path, in order. Each concern is one link; a new one is one class and one line
 * here. On the way down a link may refuse the request, answer it, or pass on a changed copy; on the
 * way back every link sees the outcome (the answer with its usage and cost, or the error).
 *
 * <pre>
 * report outcome ─► record usage ─► validate ─► authenticate ─► [your links: cache, ...]
 *   ─► resolve route ─► route access ─► limits ─► deadline ─► meter ─► router: route strategy
 *   ─► per target: breaker ∘ retry ∘ timeout ─► provider adapter
 * </pre>
 *
 * <p>Usage, authentication, route access and limits are links only when configured (a usage sink; a
 * master key): the library without them runs the chain it always ran.
 */
final class RequestPath {
    private RequestPath() {
    }

    static RequestChain build(Outcomes outcomes, UsageRecorder usage, List<Interceptor> callerLinks,
                              Authentication authentication, RouteAccess routeAccess, Limits limits, Routes routes,
                              Deadlines deadlines, Metering metering, RequestChain.Terminal router) {
        List<Interceptor> links = new ArrayList<>();
        links.add(outcomes);               // outermost: sees every request's start and end, refused ones included
        addIf(links, usage);               // one ledger row per request, refused ones included
        links.add(new RequestValidator()); // a request levee cannot serve is refused before anything else
        addIf(links, authentication);      // the credential -> a principal (401 when none); the credential stops here
        links.addAll(callerLinks);         // the application's own links, before the route is fixed
        links.add(routes);                 // route alias -> tiers; an earlier link may have rewritten the alias
        addIf(links, routeAccess);         // the key may use this route (403 naming it when not)
        addIf(links, limits);              // the key's and team's rates and budget: reserved here, settled on the way back
        links.add(deadlines);              // from the caller's deadline or max_tokens
        links.add(metering);               // on the way back: usage (estimated only when unreported) and cost
        return new RequestChain(links, router);
    }

    /**
     * The counting path: a request is checked, its key and route resolved and allowed as on the
     * request path, then its input counted by levee — no provider, limit, ledger row or telemetry
     * record, since nothing is spent.
     *
     * <pre>
     * validate ─► authenticate ─► resolve route ─► route access ─► count
     * </pre>
     */
    static RequestChain counting(Authentication authentication, RouteAccess routeAccess, Routes routes) {
        List<Interceptor> links = new ArrayList<>();
        links.add(new RequestValidator());
        addIf(links, authentication);
        links.add(routes);
        addIf(links, routeAccess);
        return new RequestChain(links, new TokenCounter());
    }

    private static void addIf(List<Interceptor> links, Interceptor link) {
        if (link != null) {
            links.add(link);
        }
    }
}
