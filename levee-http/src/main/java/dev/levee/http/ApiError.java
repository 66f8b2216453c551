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

    static ApiError unauthenticated(String message) {
        return new ApiError(401, "invalid_request_error", "invalid_api_key", null, message);
    }

    static ApiError of(LeveeException e) {
        return switch (e.kind()) {
            case INVALID_REQUEST -> new ApiError(400, "invalid_request_error", null, e.param(), e.getMessage());
            case UNAUTHENTICATED -> unauthenticated(e.getMessage());
            case FORBIDDEN -> new ApiError(403, "permission_error", "route_not_allowed", "model", e.getMessage());
            case UNKNOWN_ROUTE -> new ApiError(404, "invalid_request_error", "model_not_found", "model", e.getMessage());
            case CONTENT_POLICY -> new ApiError(400, "invalid_request_error", "content_policy_violation", null,
                    e.getMessage());
            case UNAVAILABLE -> new ApiError(503, "service_unavailable", "no_tier_available", null, e.getMessage());
            case DEADLINE_EXCEEDED -> new ApiError(504, "timeout", "deadline_exceeded", null, e.getMessage());
            case CANCELLED -> new ApiError(499, "cancelled", "cancelled", null, e.getMessage());
            case SHUTTING_DOWN -> new ApiError(503, "service_unavailable", "shutting_down", null, e.getMessage());
            case RATE_LIMITED -> new ApiError(429, "rate_limit_error", "rate_limit_exceeded", null, e.getMessage());
            // 402, not 429: SDKs retry a 429, and a spent budget does not come back by retrying
            case BUDGET_EXCEEDED -> new ApiError(402, "insufficient_quota", "budget_exceeded", null, e.getMessage());
            case OVERLOADED -> new ApiError(503, "service_unavailable", "overloaded", null, e.getMessage());
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
