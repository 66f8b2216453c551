package dev.levee.internal.observe.anomaly;

import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.FinishReason;

/**
 * What the answer itself says about its health, with no history needed.
 *
 * <p>A truncated answer ({@link FinishReason#LENGTH}) alone scores {@value #TRUNCATED}, below the
 * default threshold: callers cap answers on purpose all the time, and fallback tiers cap them by
 * configuration. Together with an unusually short answer (a tiny cap) or a loop that ran into the
 * cap, it tips the score over.
 */
final class ContentChecks {
    static final double EMPTY = 1.0;
    static final double CONTENT_FILTER = 0.75;
    static final double TRUNCATED = 0.45;

    private ContentChecks() {
    }

    static void inspect(ChatRequest request, ChatResponse response, Findings findings) {
        String text = response.text();
        if ((text == null || text.isBlank()) && !response.toolCalls().isEmpty()) {
            return; // a turn that only calls tools has nothing to read
        }
        if (text == null || text.isBlank()) {
            findings.content(EMPTY, "empty answer");
            return;
        }
        if (response.finishReason() == FinishReason.LENGTH) {
            findings.content(TRUNCATED, "truncated at the token limit");
        } else if (response.finishReason() == FinishReason.CONTENT_FILTER) {
            findings.content(CONTENT_FILTER, "stopped by the content filter");
        }
        long[] words = Words.hashes(text, Repetition.MAX_WORDS);
        Repetition.check(text, words, findings);
        Refusals.check(text, findings);
        if (request != null) {
            PromptEcho.check(request.lastUserText(), words, findings);
        }
        SensitiveData.check(text, findings);
    }
}
