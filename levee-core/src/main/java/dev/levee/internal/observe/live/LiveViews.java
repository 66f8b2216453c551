package dev.levee.internal.observe.live;

import dev.levee.config.LeveeConfig;
import dev.levee.config.RouteConfig;
import dev.levee.config.TierConfig;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the console reads, kept in memory and bounded: the last requests, alerts and breaker
 * transitions, and the traffic series. Fed by the same events as logs, metrics and telemetry.
 */
public final class LiveViews {
    private final RecentRequests requests = new RecentRequests();
    private final RecentAlerts alerts = new RecentAlerts();
    private final BreakerHistory breakerHistory = new BreakerHistory();
    private final Traffic traffic;

    public LiveViews(LeveeConfig config, Clock clock) {
        Set<String> targets = new LinkedHashSet<>();
        for (RouteConfig route : config.routes().values()) {
            for (TierConfig tier : route.tiers()) {
                targets.add(tier.target());
            }
        }
        this.traffic = new Traffic(clock, config.routes().keySet(), targets);
    }

    public RecentRequests requests() {
        return requests;
    }

    public RecentAlerts alerts() {
        return alerts;
    }

    public BreakerHistory breakerHistory() {
        return breakerHistory;
    }

    public Traffic traffic() {
        return traffic;
    }
}
