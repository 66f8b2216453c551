package dev.levee.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.levee.Attempt;
import dev.levee.ChatResponse;
import dev.levee.Usage;
import java.util.List;
import java.util.Locale;

/**
 * A response's metadata as JSON: the basic keys first (text, model_used, tokens_used, latency_ms,
 * fallback_used, fallback_level, request_id, timestamp), the form the demo prints, then, in the
 * detailed form, where it was served and every tier attempt.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ResponseMetadata(String text, String modelUsed, int tokensUsed, double latencyMs, boolean fallbackUsed,
                        int fallbackLevel, String requestId, String timestamp, String provider, String route,
                        String finishReason, Usage usage, List<AttemptView> attempts) {

    /** Exactly the basic fields, as the demo prints them. */
    static ResponseMetadata basic(ChatResponse r) {
        return new ResponseMetadata(r.text(), r.modelUsed(), r.tokensUsed(), Json.millis(r.latencyMs()),
                r.fallbackUsed(), r.fallbackLevel(), r.requestId(), r.timestamp().toString(), null, null, null, null,
                null);
    }

    /** The basic fields and the rest of the story. */
    static ResponseMetadata detailed(ChatResponse r) {
        return new ResponseMetadata(r.text(), r.modelUsed(), r.tokensUsed(), Json.millis(r.latencyMs()),
                r.fallbackUsed(), r.fallbackLevel(), r.requestId(), r.timestamp().toString(), r.provider(), r.route(),
                r.finishReason() == null ? null : r.finishReason().wireName(), r.usage(),
                r.attempts().stream().map(AttemptView::of).toList());
    }

    /** One tier attempt. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AttemptView(int tier, String target, String outcome, Integer status, String error, double latencyMs,
                       Long retryDelayMs) {
        static AttemptView of(Attempt a) {
            return new AttemptView(a.tier(), a.target(), a.outcome().name().toLowerCase(Locale.ROOT),
                    a.status() > 0 ? a.status() : null, a.error(), Json.millis(a.latencyMs()),
                    a.retryDelayMs() > 0 ? a.retryDelayMs() : null);
        }
    }
}
