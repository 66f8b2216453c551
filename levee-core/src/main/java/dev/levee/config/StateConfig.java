package dev.levee.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Where the counts of limits and budgets live ({@code state:}): in this process by default, or in
 * Redis, shared by every instance that points at it.
 *
 * @param redis {@code redis://[user:password@]host:port[/db]}, or {@code null} to count in process
 * @param password the Redis password when it is not in the URL, or {@code null}
 * @param keyPrefix the prefix of every Redis key levee writes
 * @param timeout how long one Redis round trip may take before it counts as failed
 * @param onFailure per kind of limit ({@code requests}, {@code tokens}, {@code concurrency},
 *     {@code budget}) what happens while Redis cannot be reached
 */
public record StateConfig(URI redis, Secret password, String keyPrefix, Duration timeout,
                          Map<String, FailurePolicy> onFailure) {
    public static final Map<String, FailurePolicy> DEFAULT_POLICIES = Map.of("requests", FailurePolicy.FAIL_OPEN,
            "tokens", FailurePolicy.FAIL_OPEN, "concurrency", FailurePolicy.FAIL_OPEN, "budget",
            FailurePolicy.FAIL_CLOSED);
    public static final StateConfig LOCAL = new StateConfig(null, null, "levee", Duration.ofMillis(200),
            DEFAULT_POLICIES);

    /** What a limit does while its shared counts cannot be reached. */
    public enum FailurePolicy {
        /** Admit, count in this process meanwhile, log and alert. */
        FAIL_OPEN,
        /** Refuse with 503 and a message saying why. */
        FAIL_CLOSED
    }

    public StateConfig {
        if (redis != null && !"redis".equals(redis.getScheme()) && !"rediss".equals(redis.getScheme())) {
            throw new IllegalArgumentException("redis must be a redis:// or rediss:// URL");
        }
        if (keyPrefix == null || keyPrefix.isBlank() || keyPrefix.contains("{") || keyPrefix.contains("}")) {
            throw new IllegalArgumentException("key_prefix must be non-empty and contain no braces");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofSeconds(5)) > 0) {
            throw new IllegalArgumentException("timeout must be in (0, 5s]");
        }
        for (String kind : onFailure.keySet()) {
            if (!DEFAULT_POLICIES.containsKey(kind)) {
                throw new IllegalArgumentException("on_failure: unknown limit '" + kind
                        + "' (known: requests, tokens, concurrency, budget)");
            }
        }
        Map<String, FailurePolicy> all = new java.util.HashMap<>(DEFAULT_POLICIES);
        all.putAll(onFailure);
        onFailure = Map.copyOf(all);
    }

    public boolean shared() {
        return redis != null;
    }

    public FailurePolicy policy(String kind) {
        return onFailure.get(kind);
    }
}
