package dev.levee.internal.observe.alert;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Something an operator should know about. One alert stands for an incident: the same kind and key
 * (a model, a breaker's target, a route) within one incident window, so a storm of occurrences is
 * one alert with a count. Holds no prompts, answers or credentials: only names, figures and reasons.
 *
 * @param key what the incident is about: a model, a target ({@code provider/model}) or a route
 * @param fields structured details in display order (snake_case keys)
 * @param firstSeen the first occurrence this alert reports
 * @param lastSeen the last occurrence this alert reports
 * @param count occurrences this alert reports (for a resolution: those not reported before, maybe 0)
 * @param resolved whether this alert says the incident is over
 */
public record Alert(Kind kind, Severity severity, String key, String title, String text, Map<String, String> fields,
                    Instant firstSeen, Instant lastSeen, int count, boolean resolved) {

    public enum Kind {
        /** An answer scored above the anomaly threshold. */
        ANOMALY,
        /** A circuit breaker opened: its target is skipped until it recovers. */
        BREAKER_OPEN,
        /** Too many recent answers came from fallback tiers or the rule-based reply. */
        FALLBACK_RATE,
        /** A service levee depends on (the Redis of shared limits) stopped answering. */
        DEPENDENCY_DOWN,
        /** The gateway entered a degradation mode: it is holding back on purpose. */
        DEGRADED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Severity {
        INFO, WARNING, CRITICAL;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Alert {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0: " + count);
        }
    }

    /** The same alert reporting a different span of occurrences. */
    public Alert withOccurrences(int newCount, Instant first, Instant last) {
        return new Alert(kind, severity, key, title, text, fields, first, last, newCount, resolved);
    }

    /** One line for a chat message or a log: severity, title, text and, for a storm, how many. */
    public String summary() {
        String times = count > 1 ? " (" + count + " times since " + firstSeen + ")"
                : resolved && count == 1 ? " (1 more time since " + firstSeen + ")" : "";
        return "[" + severity.name() + "] " + title + ": " + text + times;
    }
}
