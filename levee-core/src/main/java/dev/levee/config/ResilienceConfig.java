package dev.levee.config;

import java.time.Duration;

/**
 * Breaker, retry, timeout, bulkhead and degradation settings: the {@code resilience:} section of
 * {@code levee.yaml}.
 */
public record ResilienceConfig(Breaker breaker, Retry retry, Timeout timeout, Bulkhead bulkhead,
                               Degradation degradation) {

    public static final ResilienceConfig DEFAULTS = new ResilienceConfig(
            new Breaker(5, 0.5, 20, 10, Duration.ofSeconds(30), 2),
            new Retry(3, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(30)),
            new Timeout(Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofSeconds(300), Duration.ofSeconds(15),
                    Duration.ofSeconds(15), Duration.ofSeconds(5), 0.5, 1024),
            new Bulkhead(4096, 0.85, 0.6),
            new Degradation(true, 0.5, 0.25, 1.0, 0.5, 20, Duration.ofSeconds(30), 512));

    public ResilienceConfig {
        bulkhead = bulkhead == null ? DEFAULTS.bulkhead : bulkhead;
        degradation = degradation == null ? DEFAULTS.degradation : degradation;
    }

    /**
     * Requests in flight per provider target, and how much of it each priority may fill: when a target
     * is that full, a request of that priority is shed (503 with {@code Retry-After}) before anything is
     * sent — batch first, then standard; critical may use it all.
     *
     * @param maxConcurrent requests in flight at one target, at most
     * @param standardShare the share of {@code maxConcurrent} standard requests may fill
     * @param batchShare the share batch requests may fill
     */
    public record Bulkhead(int maxConcurrent, double standardShare, double batchShare) {
        public Bulkhead {
            require(maxConcurrent >= 1, "max_concurrent must be >= 1");
            require(standardShare > 0 && standardShare <= 1, "standard_share must be in (0, 1]");
            require(batchShare > 0 && batchShare <= standardShare, "batch_share must be in (0, standard_share]");
        }

        /** How many in flight a request of {@code priority} may find and still be admitted. */
        public int admitsBelow(String priority) {
            double share = switch (priority == null ? "standard" : priority) {
                case "critical" -> 1.0;
                case "batch" -> batchShare;
                default -> standardShare;
            };
            return Math.max(1, (int) Math.floor(maxConcurrent * share));
        }
    }

    /**
     * When the gateway degrades on purpose. DEGRADED (a share of targets with open breakers, or a share
     * of requests that had to fall back past a failing target) caps {@code max_tokens} and skips tiers
     * marked {@code expensive}; EMERGENCY (every target open, or a share of requests that got no model
     * answer at all) serves only critical keys from providers and gives everyone else the rule-based
     * reply. A mode is entered at once and left one level at a time, after its cause has been gone for
     * {@code hold}, so it does not flap.
     *
     * @param minimumRequests the requests in the last minute needed before the rates are judged
     */
    public record Degradation(boolean enabled, double degradedOpenShare, double degradedFallbackRate,
                              double emergencyOpenShare, double emergencyFailureRate, int minimumRequests,
                              Duration hold, int degradedMaxTokens) {
        public Degradation {
            require(degradedOpenShare > 0 && degradedOpenShare <= emergencyOpenShare && emergencyOpenShare <= 1,
                    "open shares must satisfy 0 < degraded_open_share <= emergency_open_share <= 1");
            require(degradedFallbackRate > 0 && degradedFallbackRate <= 1, "degraded_fallback_rate must be in (0, 1]");
            require(emergencyFailureRate > 0 && emergencyFailureRate <= 1, "emergency_failure_rate must be in (0, 1]");
            require(minimumRequests >= 1, "minimum_requests must be >= 1");
            require(!hold.isNegative(), "hold must be >= 0");
            require(degradedMaxTokens >= 1, "degraded_max_tokens must be >= 1");
        }
    }

    /**
     * @param consecutiveFailures opens after this many failures in a row
     * @param failureRate opens when the failure rate over the window reaches this (0..1]
     * @param window the sliding window, in calls
     * @param minimumCalls calls needed in the window before the rate is judged
     * @param openFor how long the breaker stays open before letting probes through
     * @param halfOpenProbes successful probes needed to close again
     */
    public record Breaker(int consecutiveFailures, double failureRate, int window, int minimumCalls, Duration openFor,
                          int halfOpenProbes) {
        public Breaker {
            require(consecutiveFailures >= 1, "consecutive_failures must be >= 1");
            require(failureRate > 0 && failureRate <= 1, "failure_rate must be in (0, 1]");
            require(window >= 1, "window must be >= 1");
            require(minimumCalls >= 1 && minimumCalls <= window, "minimum_calls must be in [1, window]");
            require(positive(openFor), "open_for must be positive");
            require(halfOpenProbes >= 1, "half_open_probes must be >= 1");
        }
    }

    /**
     * @param maxAttempts attempts per tier, the first included
     * @param baseDelay the first backoff
     * @param maxDelay the largest backoff
     * @param maxRetryAfter the longest {@code Retry-After} honoured; a longer one moves to the next tier
     */
    public record Retry(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter) {
        public Retry {
            require(maxAttempts >= 1, "max_attempts must be >= 1");
            require(positive(baseDelay), "base_delay must be positive");
            require(positive(maxDelay) && maxDelay.compareTo(baseDelay) >= 0, "max_delay must be >= base_delay");
            require(!maxRetryAfter.isNegative(), "max_retry_after must be >= 0");
        }
    }

    /**
     * @param base the deadline for a request without {@code max_tokens} budget
     * @param perToken added per requested output token
     * @param max the deadline's cap
     * @param firstToken the longest wait for the first streamed token of an attempt
     * @param streamIdle the longest silence between streamed chunks
     * @param connect TCP connect timeout
     * @param tierShare the share of the remaining deadline one tier may spend (the last tier may spend all)
     * @param defaultOutputTokens the output budget the deadline allows a request that sets no
     *        {@code max_tokens}: a healthy long answer must not be cut at the bare base
     */
    public record Timeout(Duration base, Duration perToken, Duration max, Duration firstToken, Duration streamIdle,
                          Duration connect, double tierShare, int defaultOutputTokens) {
        public Timeout {
            require(positive(base), "base must be positive");
            require(!perToken.isNegative(), "per_token must be >= 0");
            require(positive(max) && max.compareTo(base) >= 0, "max must be >= base");
            require(positive(firstToken), "first_token must be positive");
            require(positive(streamIdle), "stream_idle must be positive");
            require(positive(connect), "connect must be positive");
            require(tierShare > 0 && tierShare <= 1, "tier_share must be in (0, 1]");
            require(defaultOutputTokens >= 1, "default_output_tokens must be >= 1");
        }

        /**
         * {@code min(base + per_token x max_tokens, max)}: a longer answer may take longer, never forever.
         * Without {@code max_tokens}, the budget is {@code default_output_tokens}.
         */
        public Duration deadlineFor(Integer maxTokens) {
            int tokens = maxTokens == null ? defaultOutputTokens : maxTokens;
            Duration d = base.plus(perToken.multipliedBy(tokens));
            return d.compareTo(max) > 0 ? max : d;
        }
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
