package dev.levee;

/**
 * A request that levee could not answer. Each subtype maps to one HTTP status of the gateway.
 * Messages never contain credentials or prompt text.
 */
public class LeveeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Kind kind;
    private final String requestId;
    private final String param;

    public LeveeException(Kind kind, String message, String requestId, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
        this.requestId = requestId;
        this.param = null;
    }

    /** A refusal of the request because of one of its parameters, named as in the OpenAI API. */
    public LeveeException(Kind kind, String message, String requestId, String param) {
        super(message, null, false, false);
        this.kind = kind;
        this.requestId = requestId;
        this.param = param;
    }

    public LeveeException(Kind kind, String message, String requestId) {
        this(kind, message, requestId, (Throwable) null);
    }

    /**
     * {@code error} as a LeveeException: itself when it is one, else an internal error that names only
     * the exception's type (its message may carry anything).
     */
    public static LeveeException wrap(Throwable error, String requestId) {
        if (error instanceof LeveeException e) {
            return e;
        }
        return new LeveeException(Kind.UNAVAILABLE, "internal error: " + error.getClass().getSimpleName(), requestId,
                error);
    }

    public Kind kind() {
        return kind;
    }

    public String requestId() {
        return requestId;
    }

    /** The request parameter at fault, or {@code null}. */
    public String param() {
        return param;
    }

    /** The kinds of failure a caller can tell apart, each with its HTTP status. */
    public enum Kind {
        /** The request itself is invalid: fix it and retry. */
        INVALID_REQUEST(400),
        /** No API key, or one that is unknown, expired or revoked. */
        UNAUTHENTICATED(401),
        /** The API key is valid but may not use this route (or this endpoint). */
        FORBIDDEN(403),
        /**
         * Over a rate limit of the caller's key or team (requests or tokens per minute, requests in
         * flight): retry after the time the gateway says.
         */
        RATE_LIMITED(429),
        /** The caller's key or team has spent its budget for the period: retrying before it resets is useless. */
        BUDGET_EXCEEDED(402),
        /** The route does not exist. */
        UNKNOWN_ROUTE(404),
        /** A provider refused the content (content policy): no fallback routes around a safety check. */
        CONTENT_POLICY(400),
        /** Every tier failed or was open and the route has no rule-based reply. */
        UNAVAILABLE(503),
        /** The request's deadline passed. */
        DEADLINE_EXCEEDED(504),
        /** The caller cancelled the request. */
        CANCELLED(499),
        /**
         * Shed under load before anything was sent upstream: every target the request could use has as
         * many requests in flight as its priority may find there. Retry after a moment.
         */
        OVERLOADED(503),
        /** levee is shutting down. */
        SHUTTING_DOWN(503);

        private final int httpStatus;

        Kind(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }
}
