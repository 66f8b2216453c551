package dev.levee.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.levee.LeveeException;

/**
 * An error as OpenAI shapes it: {@code {"error": {"message", "type", "param", "code"}}} with its
 * HTTP status. Messages are written for the caller and never carry keys, prompts or stack traces.
 */
record ApiError(int status, String type, String code, String param, String message) {

    static ApiError invalid(String param, String message) {
        return new ApiError(400, "invalid_request_error", null, param, message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "invalid_request_error", "not_found", null, message);
    }

    /** A credential refused before a request reaches the facade: the code the facade gives such a refusal. */
    static ApiError unauthenticated(String message) {
        return new ApiError(401, "invalid_request_error", LeveeException.Kind.UNAUTHENTICATED.code(), null, message);
    }

    /** The failure's status and type by its kind; its code as it names it ({@link LeveeException#code()}). */
    static ApiError of(LeveeException e) {
        String code = e.code();
        String message = e.getMessage();
        return switch (e.kind()) {
            // OpenAI leaves the code null on a plain invalid request; param names the field
            case INVALID_REQUEST -> new ApiError(400, "invalid_request_error", null, e.param(), message);
            case UNAUTHENTICATED -> new ApiError(401, "invalid_request_error", code, null, message);
            case FORBIDDEN -> new ApiError(403, "permission_error", code, "model", message);
            case UNKNOWN_ROUTE -> new ApiError(404, "invalid_request_error", code, "model", message);
            case CONTENT_POLICY -> new ApiError(400, "invalid_request_error", code, null, message);
            case UNAVAILABLE, SHUTTING_DOWN, OVERLOADED -> new ApiError(503, "service_unavailable", code, null, message);
            case DEADLINE_EXCEEDED -> new ApiError(504, "timeout", code, null, message);
            case CANCELLED -> new ApiError(499, "cancelled", code, null, message);
            case RATE_LIMITED -> new ApiError(429, "rate_limit_error", code, null, message);
            // 402, not 429: SDKs retry a 429, and a spent budget does not come back by retrying
            case BUDGET_EXCEEDED -> new ApiError(402, "insufficient_quota", code, null, message);
        };
    }

    ObjectNode toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        return root;
    }
}
