package dev.levee.config;

import java.util.List;
import java.util.Objects;

/**
 * A route: ordered tiers, then (optionally) the rule-based reply.
 *
 * @param name the alias clients send as {@code model}
 * @param tiers the model tiers, primary first
 * @param contentFilter what to do when a provider refuses the content
 * @param ruleBasedFallback whether the rule-based reply answers when every tier failed
 * @param ruleBasedForStructured whether it also answers requests with tools or a JSON response format:
 *        off by default, since canned text would break a tool loop or a parse
 * @param keyLimits what each virtual key may use of this route, besides its limits overall
 * @param teamLimits what each team's keys together may use of this route
 * @param slo the route's service-level objectives
 */
public record RouteConfig(String name, List<TierConfig> tiers, ContentFilterPolicy contentFilter,
                          boolean ruleBasedFallback, boolean ruleBasedForStructured, Quota keyLimits,
                          Quota teamLimits, Slo slo) {
    /**
     * What the route promises: {@code availability} of its requests answered (not failed by levee or
     * its providers: caller errors and refusals by limits do not count), and {@code latencyPercentile}
     * of its answers within {@code latency} (for a stream, to its first token).
     */
    public record Slo(double availability, java.time.Duration latency, double latencyPercentile) {
        /** The production-patterns defaults: 99.9 % available, p95 within 500 ms. */
        public static final Slo DEFAULT = new Slo(0.999, java.time.Duration.ofMillis(500), 0.95);

        public Slo {
            if (!(availability > 0 && availability < 1)) {
                throw new IllegalArgumentException("availability must be in (0, 1), e.g. 0.999");
            }
            if (!(latencyPercentile > 0 && latencyPercentile < 1)) {
                throw new IllegalArgumentException("latency_percentile must be in (0, 1), e.g. 0.95");
            }
            if (latency.isNegative() || latency.isZero()) {
                throw new IllegalArgumentException("latency must be positive");
            }
        }
    }

    public RouteConfig {
        Objects.requireNonNull(name, "name");
        keyLimits = keyLimits == null ? Quota.NONE : keyLimits;
        teamLimits = teamLimits == null ? Quota.NONE : teamLimits;
        slo = slo == null ? Slo.DEFAULT : slo;
        tiers = List.copyOf(tiers);
        if (tiers.isEmpty()) {
            throw new IllegalArgumentException("a route needs at least one tier");
        }
        Objects.requireNonNull(contentFilter, "contentFilter");
    }

    public RouteConfig(String name, List<TierConfig> tiers, ContentFilterPolicy contentFilter,
                       boolean ruleBasedFallback) {
        this(name, tiers, contentFilter, ruleBasedFallback, false, Quota.NONE, Quota.NONE, Slo.DEFAULT);
    }

    /** What a content-policy refusal does. */
    public enum ContentFilterPolicy {
        /** Return the refusal to the caller: a fallback must not route around a safety check. */
        ERROR,
        /** Treat it as a failure of the tier and try the next one. */
        FALLBACK
    }
}
