package dev.levee.internal.observe;

import dev.levee.LeveeException;
import dev.levee.SloStatus;
import dev.levee.config.LeveeConfig;
import dev.levee.config.RouteConfig;
import dev.levee.spi.LeveeEvent;
import dev.levee.spi.LeveeEventListener;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each configured route's SLOs, over the last hour in one-minute buckets: requests that count, those
 * that failed (by levee or its providers — not caller errors, refusals by limits or cancellations),
 * and answers slower than the latency target (a stream: to its first token). Burn rates for the last 5
 * minutes and the last hour go to {@code /levee/stats} and to the {@code levee_slo_burn_rate} gauge.
 */
public final class SloTracker implements LeveeEventListener {
    /** The failures that spend an availability budget. */
    static final Set<LeveeException.Kind> FAILURES = EnumSet.of(LeveeException.Kind.UNAVAILABLE,
            LeveeException.Kind.DEADLINE_EXCEEDED, LeveeException.Kind.OVERLOADED, LeveeException.Kind.SHUTTING_DOWN);

    private final Clock clock;
    private final Map<String, Route> routes = new LinkedHashMap<>();

    public SloTracker(LeveeConfig config, Clock clock, MeterRegistry registry) {
        this.clock = clock;
        for (RouteConfig route : config.routes().values()) {
            Route r = new Route(route);
            routes.put(route.name(), r);
            for (String window : List.of("5m", "1h")) {
                int minutes = window.equals("5m") ? 5 : 60;
                Gauge.builder("levee.slo.burn_rate", r, x -> x.burn(true, minutes, clock.millis()))
                        .description("How fast the route's error budget is being spent (1: exactly over the SLO's period)")
                        .tags("route", route.name(), "slo", "availability", "window", window).register(registry);
                Gauge.builder("levee.slo.burn_rate", r, x -> x.burn(false, minutes, clock.millis()))
                        .description("How fast the route's error budget is being spent (1: exactly over the SLO's period)")
                        .tags("route", route.name(), "slo", "latency", "window", window).register(registry);
            }
        }
    }

    @Override
    public void onEvent(LeveeEvent event) {
        if (event instanceof LeveeEvent.RequestCompleted e) {
            Route r = routes.get(e.response().route());
            if (r != null) {
                double latency = e.stream() && e.ttftMs() != null ? e.ttftMs() : e.response().latencyMs();
                r.add(clock.millis(), false, latency > r.slo.latency().toNanos() / 1e6);
            }
        } else if (event instanceof LeveeEvent.RequestFailed e && FAILURES.contains(e.error().kind())) {
            Route r = e.route() == null ? null : routes.get(e.route());
            if (r != null) {
                r.add(clock.millis(), true, false);
            }
        }
    }

    public List<SloStatus> statuses() {
        long now = clock.millis();
        List<SloStatus> all = new ArrayList<>();
        for (Route r : routes.values()) {
            all.add(r.status(now));
        }
        return all;
    }

    /** One route's last hour, a bucket a minute. */
    private static final class Route {
        final String name;
        final RouteConfig.Slo slo;
        final long[] minutes = new long[60];
        final long[] requests = new long[60];
        final long[] failed = new long[60];
        final long[] slow = new long[60];

        Route(RouteConfig route) {
            this.name = route.name();
            this.slo = route.slo();
        }

        synchronized void add(long now, boolean failure, boolean late) {
            long minute = Math.floorDiv(now, 60_000);
            int i = (int) Math.floorMod(minute, 60L);
            if (minutes[i] != minute) {
                minutes[i] = minute;
                requests[i] = 0;
                failed[i] = 0;
                slow[i] = 0;
            }
            requests[i]++;
            if (failure) {
                failed[i]++;
            }
            if (late) {
                slow[i]++;
            }
        }

        /** requests, failed, slow over the last {@code span} minutes, this one included. */
        synchronized long[] sums(int span, long now) {
            long minute = Math.floorDiv(now, 60_000);
            long[] sums = new long[3];
            for (int i = 0; i < 60; i++) {
                if (minute - minutes[i] < span && requests[i] > 0) {
                    sums[0] += requests[i];
                    sums[1] += failed[i];
                    sums[2] += slow[i];
                }
            }
            return sums;
        }

        double burn(boolean availability, int span, long now) {
            long[] s = sums(span, now);
            if (s[0] == 0) {
                return 0;
            }
            if (availability) {
                return (double) s[1] / s[0] / (1 - slo.availability());
            }
            long answered = s[0] - s[1];
            return answered == 0 ? 0 : (double) s[2] / answered / (1 - slo.latencyPercentile());
        }

        SloStatus status(long now) {
            long[] hour = sums(60, now);
            return new SloStatus(name, slo.availability(), slo.latency().toNanos() / 1e6, slo.latencyPercentile(),
                    hour[0], hour[1], hour[2], burn(true, 5, now), burn(true, 60, now), burn(false, 5, now),
                    burn(false, 60, now));
        }
    }
}
