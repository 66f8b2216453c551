package dev.levee;

/**
 * What happened at one tier attempt of a request: the audit trail behind {@code fallback_level}.
 *
 * @param tier the tier index in the route
 * @param target {@code provider/model}
 * @param outcome what came of it
 * @param status the upstream HTTP status, 0 when there was none
 * @param error a short description of the failure, {@code null} on success
 * @param latencyMs time spent in this attempt
 * @param retryDelayMs the backoff waited before this attempt (0 for the first of a tier)
 */
public record Attempt(int tier, String target, Outcome outcome, int status, String error, double latencyMs,
                      long retryDelayMs) {

    public enum Outcome {
        SUCCEEDED,
        FAILED,
        /** The target's circuit breaker was open: no upstream call was made. */
        SKIPPED_BREAKER_OPEN,
        /** Fault injection made the tier fail without calling it. */
        FORCED_FAILURE,
        /** The target cannot honour something the request needs; the error names it. */
        SKIPPED_UNSUPPORTED,
        /** The target was as full as the request's priority may find it (load shedding). */
        SKIPPED_SATURATED,
        /** The tier is marked expensive and the gateway is degraded. */
        SKIPPED_DEGRADED,
        /** The caller went away; counted neither as success nor failure. */
        CANCELLED
    }
}
