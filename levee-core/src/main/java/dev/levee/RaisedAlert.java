package dev.levee;

import java.time.Instant;
import java.util.Map;

/**
 * An alert levee raised (and logged, and sent to the webhook when one is configured), kept for the
 * console: names, figures and reasons only — never prompts, answers or credentials.
 *
 * @param kind {@code anomaly}, {@code breaker_open}, {@code fallback_rate}, {@code dependency_down} or
 *     {@code degraded}
 * @param severity {@code info}, {@code warning} or {@code critical}
 * @param key what the incident is about: a model, a target, a route, a dependency
 * @param fields structured details in display order
 * @param count occurrences this alert reports
 * @param resolved whether this alert says the incident is over
 */
public record RaisedAlert(String kind, String severity, String key, String title, String text,
                          Map<String, String> fields, Instant firstSeen, Instant lastSeen, int count,
                          boolean resolved) {
    public RaisedAlert {
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }
}
