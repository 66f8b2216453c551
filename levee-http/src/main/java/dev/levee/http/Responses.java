package dev.levee.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.LimitStatus;
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
    /** When a spent budget's period starts again (ISO-8601, UTC). */
    static final CharSequence BUDGET_RESET = HttpHeaders.createOptimized("x-levee-budget-reset");
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

    /**
     * OpenAI's rate-limit headers for a caller with limits, on every response to it; {@code Retry-After}
     * (whole seconds) on a refusal; when a budget is spent, the instant its period starts again.
     */
    static void limits(HttpServerResponse response, LimitStatus status) {
        window(response, status.requests(), REQUESTS_LIMIT, REQUESTS_REMAINING, REQUESTS_RESET);
        window(response, status.tokens(), TOKENS_LIMIT, TOKENS_REMAINING, TOKENS_RESET);
        if (status.retryAfterMillis() != null) {
            response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (status.retryAfterMillis() + 999) / 1000)));
        }
        if (status.budgetResetsAt() != null) {
            response.putHeader(BUDGET_RESET, status.budgetResetsAt().toString());
        }
    }

    // Sent on every answer to a caller with limits: names made once, as Vert.x's own constants are.
    private static final CharSequence REQUESTS_LIMIT = HttpHeaders.createOptimized("x-ratelimit-limit-requests");
    private static final CharSequence REQUESTS_REMAINING = HttpHeaders.createOptimized("x-ratelimit-remaining-requests");
    private static final CharSequence REQUESTS_RESET = HttpHeaders.createOptimized("x-ratelimit-reset-requests");
    private static final CharSequence TOKENS_LIMIT = HttpHeaders.createOptimized("x-ratelimit-limit-tokens");
    private static final CharSequence TOKENS_REMAINING = HttpHeaders.createOptimized("x-ratelimit-remaining-tokens");
    private static final CharSequence TOKENS_RESET = HttpHeaders.createOptimized("x-ratelimit-reset-tokens");

    private static void window(HttpServerResponse response, LimitStatus.Window w, CharSequence limit,
                               CharSequence remaining, CharSequence reset) {
        if (w != null) {
            response.putHeader(limit, Long.toString(w.limit()))
                    .putHeader(remaining, Long.toString(w.remaining()))
                    .putHeader(reset, duration(w.resetMillis()));
        }
    }

    /** A duration as OpenAI writes its resets: {@code 120ms}, {@code 1.5s}, {@code 6m0s}. */
    static String duration(long millis) {
        if (millis < 1000) {
            return millis + "ms";
        }
        long minutes = millis / 60_000;
        long rest = millis % 60_000;
        StringBuilder s = new StringBuilder(12);
        if (minutes > 0) {
            s.append(minutes).append('m');
        }
        s.append(rest / 1000);
        int fraction = (int) (rest % 1000);
        if (fraction != 0) { // milliseconds without trailing zeros: 1.5s, 1.05s, 1.005s
            s.append('.');
            String digits = Integer.toString(1000 + fraction).substring(1);
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            s.append(digits, 0, end);
        }
        return s.append('s').toString();
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
