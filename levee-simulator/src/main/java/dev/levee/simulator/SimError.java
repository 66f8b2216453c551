package dev.levee.simulator;

/**
 * An error the simulator answers with, independent of wire format; each {@link Dialect} renders
 * it as its provider would.
 *
 * @param param             the offending request field, if any (OpenAI reports it)
 * @param retryAfterSeconds value of the {@code Retry-After} header, if any
 */
record SimError(int status, Kind kind, String message, String param, Integer retryAfterSeconds) {

    enum Kind {
        INVALID_REQUEST, AUTHENTICATION, PERMISSION, NOT_FOUND, MODEL_NOT_FOUND, TOO_LARGE, RATE_LIMIT,
        SERVER, OVERLOADED, CONTEXT_LENGTH, CONTENT_FILTER
    }

    static SimError invalid(String message, String param) {
        return new SimError(400, Kind.INVALID_REQUEST, message, param, null);
    }

    static SimError tooLarge(int limit) {
        return new SimError(413, Kind.TOO_LARGE, "Request body exceeds the limit of " + limit + " bytes.", null, null);
    }

    static SimError generationFailed() {
        return new SimError(500, Kind.SERVER,
                "The server had an error while processing your request. Sorry about that! (simulated)", null, null);
    }

    /** The error a fault spec asks for, or {@code null} when it asks for none. */
    static SimError forFault(FaultSpec fault, String model, int promptTokens, Dialect dialect) {
        if (fault.rejection() != null) {
            return switch (fault.rejection()) {
                case CONTEXT_LENGTH -> new SimError(400, Kind.CONTEXT_LENGTH, "This model's maximum context length is "
                        + Math.max(1, promptTokens - 1) + " tokens. However, your messages resulted in " + promptTokens
                        + " tokens. Please reduce the length of the messages. (simulated)", "messages", null);
                case CONTENT_FILTER -> new SimError(400, Kind.CONTENT_FILTER, "Your request was rejected as a result "
                        + "of our safety system. (simulated)", null, null);
                case NOT_FOUND -> dialect.modelNotFound(model);
                case UNAUTHORIZED -> new SimError(401, Kind.AUTHENTICATION,
                        "Incorrect API key provided. (simulated)", null, null);
                case PREFILL_REJECTED -> new SimError(400, Kind.INVALID_REQUEST, "This model does not support"
                        + " assistant message prefill. The conversation must end with a user message. (simulated)",
                        "messages", null);
            };
        }
        Integer status = fault.effectiveStatus();
        return status == null ? null : forStatus(status, fault.retryAfterSeconds());
    }

    static SimError forStatus(int status, Integer retryAfterSeconds) {
        Kind kind = switch (status) {
            case 401 -> Kind.AUTHENTICATION;
            case 403 -> Kind.PERMISSION;
            case 404 -> Kind.NOT_FOUND;
            case 413 -> Kind.TOO_LARGE;
            case 429 -> Kind.RATE_LIMIT;
            case 503, 529 -> Kind.OVERLOADED;
            default -> status >= 500 ? Kind.SERVER : Kind.INVALID_REQUEST;
        };
        String message = switch (kind) {
            case RATE_LIMIT -> "Rate limit reached for requests. Please try again later.";
            case OVERLOADED -> "The server is currently overloaded, please try again later.";
            case SERVER -> "The server had an error while processing your request.";
            case AUTHENTICATION -> "Invalid authentication credentials.";
            case PERMISSION -> "You do not have access to this resource.";
            case NOT_FOUND -> "The requested resource was not found.";
            default -> "The request was rejected with status " + status + ".";
        };
        return new SimError(status, kind, message + " (simulated)", null, retryAfterSeconds);
    }
}
