package dev.levee.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/** Writing whole JSON responses. */
final class Responses {
    private Responses() {
    }

    static void json(HttpServerResponse response, int status, JsonNode body) {
        json(response, status, Json.write(body));
    }

    static void json(HttpServerResponse response, int status, Buffer body) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(body);
    }

    // Header names and fixed values as pre-encoded ASCII strings, like Vert.x's own HttpHeaders names:
    // Vert.x skips re-validating them and Netty copies their bytes at once instead of char by char.
    static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream; charset=utf-8");
    static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");
    static final CharSequence REQUEST_ID = HttpHeaders.createOptimized("x-request-id");
    static final CharSequence MODEL_USED = HttpHeaders.createOptimized("x-levee-model-used");
    static final CharSequence FALLBACK_LEVEL = HttpHeaders.createOptimized("x-levee-fallback-level");
    /** The request parameters the answering target had no equivalent for, comma-separated. */
    static final CharSequence NOT_APPLIED = HttpHeaders.createOptimized("x-levee-not-applied");
    private static final CharSequence[] LEVELS = new CharSequence[16];

    static {
        for (int i = 0; i < LEVELS.length; i++) {
            LEVELS[i] = HttpHeaders.createOptimized(Integer.toString(i));
        }
    }

    /** The value of {@link #FALLBACK_LEVEL}. */
    static CharSequence fallbackLevel(int level) {
        return level >= 0 && level < LEVELS.length ? LEVELS[level] : Integer.toString(level);
    }

    /** The headers of an answer: who answered, at which tier, and what it left out. */
    static HttpServerResponse answered(HttpServerResponse response, String model, int level, List<String> notApplied) {
        response.putHeader(MODEL_USED, model).putHeader(FALLBACK_LEVEL, fallbackLevel(level));
        if (!notApplied.isEmpty()) {
            response.putHeader(NOT_APPLIED, String.join(", ", notApplied));
        }
        return response;
    }

    /** Both lists in order, without repeats. */
    static List<String> concat(List<String> first, List<String> second) {
        if (first.isEmpty()) {
            return second;
        }
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }

    static void error(HttpServerResponse response, ApiError error) {
        json(response, error.status(), error.toJson());
    }
}
