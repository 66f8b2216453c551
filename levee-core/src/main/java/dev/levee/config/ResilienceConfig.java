package dev.levee.config;

import java.time.Duration;

/** Breaker, retry and timeout settings: the {@code resilience:} section of {@code levee.yaml}. */
public record ResilienceConfig(Breaker breaker, Retry retry, Timeout timeout) {

    public static final ResilienceConfig DEFAULTS = new ResilienceConfig(
            new Breaker(5, 0.5, 20, 10, Duration.ofSeconds(30), 2),
            new Retry(3, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(30)),
            new Timeout(Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofSeconds(300), Duration.ofSeconds(15),
                    Duration.ofSeconds(15), Duration.ofSeconds(5), 0.5, 1024));

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
