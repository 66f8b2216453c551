package dev.levee.internal.routing;

import dev.levee.ChatRequest;
import dev.levee.config.RouteConfig;
import dev.levee.config.TierConfig;
import java.util.List;

/** Tiered fallback: the primary first, then each smaller tier in the order the route lists them. */
final class OrderedTiers implements RouteStrategy {
    @Override
    public Plan plan(RouteConfig route, ChatRequest request) {
        List<TierConfig> tiers = route.tiers();
        return new Plan() {
            private int next;

            @Override
            public Candidate next() {
                if (next >= tiers.size()) {
                    return null;
                }
                int tier = next++;
                return new Candidate(tier, tiers.get(tier), tier == tiers.size() - 1);
            }
        };
    }
}
