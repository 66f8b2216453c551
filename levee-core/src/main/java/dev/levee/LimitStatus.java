package dev.levee;

import java.time.Instant;

/**
 * Where a caller stands against its rate limits, as of its latest request — what the gateway sends
 * as OpenAI's {@code x-ratelimit-*} headers. Present only for a caller that has such limits.
 *
 * @param requests the tightest requests-per-minute limit on the caller (its key's or its team's), or {@code null}
 * @param tokens the tightest tokens-per-minute limit, or {@code null}
 * @param retryAfterMillis when the request was refused: how long until it would be admitted; else {@code null}
 * @param budgetResetsAt when the request was refused for its budget: when the budget's period starts again
 */
public record LimitStatus(Window requests, Window tokens, Long retryAfterMillis, Instant budgetResetsAt) {
    /**
     * One rolling-minute limit.
     *
     * @param remaining what is left of it now
     * @param resetMillis in how long it is back to its full value
     */
    public record Window(long limit, long remaining, long resetMillis) {
    }
}
