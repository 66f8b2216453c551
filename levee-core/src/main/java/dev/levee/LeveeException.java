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
    private final String code;

    public LeveeException(Kind kind, String message, String requestId, Throwable cause) {
        this(kind, kind.code, message, requestId, cause);
    }

    /**
     * A failure of {@code kind} with a code of its own, for a cause the kind's own code would misname
     * (a 503 because the key store is down is not one because every tier failed).
     */
    public LeveeException(Kind kind, String code, String message, String requestId, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
        this.code = code;
        this.requestId = requestId;
        this.param = null;
    }

    /** A refusal of the request because of one of its parameters, named as in the OpenAI API. */
    public LeveeException(Kind kind, String message, String requestId, String param) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = kind.code;
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
        return new LeveeException(Kind.UNAVAILABLE, "internal_error",
                "internal error: " + error.getClass().getSimpleName(), requestId, error);
    }

    public Kind kind() {
        return kind;
    }

    public String requestId() {
        return requestId;
    }

    /**
     * The machine-readable code of the error object the gateway answers with and of the ledger's row:
     * the kind's own ({@link Kind#code()}) unless the failure named a more precise one.
     */
    public String code() {
        return code;
    }

    /** The request parameter at fault, or {@code null}. */
    public String param() {
        return param;
    }

    /** The kinds of failure a caller can tell apart, each with its HTTP status. */
    public enum Kind {
        /** The request itself is invalid: fix it and retry. */
        INVALID_REQUEST(400, "invalid_request"),
        /** No API key, or one that is unknown, expired or revoked. */
        UNAUTHENTICATED(401, "invalid_api_key"),
        /** The API key is valid but may not use this route (or this endpoint). */
        FORBIDDEN(403, "route_not_allowed"),
        /**
         * Over a rate limit of the caller's key or team (requests or tokens per minute, requests in
         * flight): retry after the time the gateway says.
         */
        RATE_LIMITED(429, "rate_limit_exceeded"),
        /** The caller's key or team has spent its budget for the period: retrying before it resets is useless. */
        BUDGET_EXCEEDED(402, "budget_exceeded"),
        /** The route does not exist. */
        UNKNOWN_ROUTE(404, "model_not_found"),
        /** A provider refused the content (content policy): no fallback routes around a safety check. */
        CONTENT_POLICY(400, "content_policy_violation"),
        /**
         * Nothing can serve the request: every tier failed or was open and the route has no rule-based
         * reply ({@code no_tier_available}); or something levee needs to admit it is down — the key
         * store ({@code key_store_unavailable}), Redis for a limit that fails closed
         * ({@code limits_unavailable}); or a cut stream no tier could continue ({@code stream_interrupted});
         * or levee failed itself ({@code internal_error}).
         */
        UNAVAILABLE(503, "no_tier_available"),
        /** The request's deadline passed. */
        DEADLINE_EXCEEDED(504, "deadline_exceeded"),
        /** The caller cancelled the request. */
        CANCELLED(499, "cancelled"),
        /**
         * Shed under load before anything was sent upstream: every target the request could use has as
         * many requests in flight as its priority may find there. Retry after a moment.
         */
        OVERLOADED(503, "overloaded"),
        /** levee is shutting down. */
        SHUTTING_DOWN(503, "shutting_down");

        private final int httpStatus;
        private final String code;

        Kind(int httpStatus, String code) {
            this.httpStatus = httpStatus;
            this.code = code;
        }

        public int httpStatus() {
            return httpStatus;
        }

        /** The code a failure of this kind carries unless it names its own. */
        public String code() {
            return code;
        }
    }
}
