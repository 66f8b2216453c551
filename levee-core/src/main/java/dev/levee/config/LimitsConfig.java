package dev.levee.config;

import java.time.Duration;
import java.util.Map;

/**
 * Limits and budgets ({@code limits:}): defaults for every virtual key — a key's own limits win, field
 * by field — and per team. The master key is never limited.
 *
 * @param keys what every virtual key gets where its own limits are silent
 * @param teams per team name: what all of the team's keys together may use
 * @param completionEstimate the completion tokens reserved for a request that sets no {@code max_tokens}
 *     (its prompt is counted with the tokenizer); the reservation is replaced by the reported usage
 * @param reservationTtl how long a reservation holds when its request never reports back (a crashed
 *     instance): longer than any request runs
 */
public record LimitsConfig(Quota keys, Map<String, Quota> teams, int completionEstimate, Duration reservationTtl) {
    public static final LimitsConfig NONE = new LimitsConfig(Quota.NONE, Map.of(), 1024, Duration.ofMinutes(15));

    public LimitsConfig {
        keys = keys == null ? Quota.NONE : keys;
        teams = Map.copyOf(teams);
        if (completionEstimate < 1) {
            throw new IllegalArgumentException("completion_estimate must be >= 1");
        }
        if (reservationTtl.compareTo(Duration.ofSeconds(10)) < 0) {
            throw new IllegalArgumentException("reservation_ttl must be at least 10s");
        }
    }

    public Quota team(String name) {
        return name == null ? Quota.NONE : teams.getOrDefault(name, Quota.NONE);
    }
}
