package dev.levee.internal.routing;

import dev.levee.ChatRequest;
import dev.levee.config.RouteConfig;
import dev.levee.config.TierConfig;

/**
 * Chooses which targets a request tries, and in which order. It only chooses: each target is then
 * called through the same guards (breaker, retry, timeout), and what follows a failure is the walk's
 * business. Today's strategy is {@link OrderedTiers}; weighted, latency-aware or hedged ones fit
 * here without touching the guards.
 */
interface RouteStrategy {
    /** The targets for one request, handed out one at a time as earlier ones fail. */
    Plan plan(RouteConfig route, ChatRequest request);

    interface Plan {
        /** The next target to try, or {@code null} when none is left. */
        Candidate next();
    }

    /**
     * @param tier the tier's position in the route (its fallback level)
     * @param config the tier
     * @param last whether no target follows it: the last may spend all the time left
     */
    record Candidate(int tier, TierConfig config, boolean last) {
    }
}
