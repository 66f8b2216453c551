package dev.levee.spi;

/**
 * What went wrong with one upstream attempt, normalised across providers. The kind decides whether
 * the attempt is retried, whether the breaker counts it, and whether the route falls back.
 */
public enum FailureKind {
    /** Connection refused or reset before a response. */
    CONNECT(true, true),
    /** No (complete) response within the attempt's time budget, or no first token in time. */
    TIMEOUT(true, true),
    /** A stream went silent for longer than the idle limit. */
    STALL(true, true),
    /** 429: rate limited; may carry Retry-After. */
    RATE_LIMITED(true, true),
    /** 5xx, 529 overloaded, 408, 409. */
    SERVER(true, true),
    /** The response could not be understood. */
    MALFORMED(true, true),
    /** An error event arrived inside a stream that had started with 200. */
    STREAM_ERROR(true, true),
    /** The connection dropped mid-stream. */
    STREAM_CUT(true, true),
    /** 401/403: the credential is wrong; the target cannot serve, so the breaker counts it. */
    AUTH(false, true),
    /** 404: the model does not exist at this provider; the breaker counts it. */
    MODEL_NOT_FOUND(false, true),
    /** The prompt is too long for this model: the next tier may have a larger context. */
    CONTEXT_LENGTH(false, false),
    /** The provider refused the content. */
    CONTENT_FILTER(false, false),
    /**
     * Any other 4xx: the provider judged the caller's request invalid (a parameter out of its range,
     * say). The caller gets a 400: no other tier is tried and no canned reply hides the mistake.
     */
    BAD_REQUEST(false, false),
    /** The adapter cannot carry something the request needs to this provider: the next tier may. */
    UNSUPPORTED(false, false),
    /** The caller went away; neither a success nor a failure of the target. */
    CANCELLED(false, false);

    private final boolean retryable;
    private final boolean countsAgainstTarget;

    FailureKind(boolean retryable, boolean countsAgainstTarget) {
        this.retryable = retryable;
        this.countsAgainstTarget = countsAgainstTarget;
    }

    /** Whether the same target may succeed if asked again. */
    public boolean retryable() {
        return retryable;
    }

    /** Whether the circuit breaker records this as a failure of the target (else the permit is released). */
    public boolean countsAgainstTarget() {
        return countsAgainstTarget;
    }

    /** The kind for an HTTP error status. */
    public static FailureKind forStatus(int status) {
        if (status == 429) {
            return RATE_LIMITED;
        }
        if (status >= 500 || status == 408 || status == 409) {
            return SERVER;
        }
        if (status == 401 || status == 403) {
            return AUTH;
        }
        if (status == 404) {
            return MODEL_NOT_FOUND;
        }
        return BAD_REQUEST;
    }
}
