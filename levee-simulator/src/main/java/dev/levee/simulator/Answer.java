package dev.levee.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * What the simulated model will say to one call, already cut to its token cap.
 *
 * @param pieces    the text in streaming order, one word with its leading whitespace each
 * @param truncated whether the cap cut the answer short (finish reason {@code length} / {@code max_tokens})
 */
record Answer(List<String> pieces, boolean truncated, int promptTokens, int completionTokens) {

    /** Above this much prompt text, counting tokens is moved off the event loop. */
    static final int INLINE_TEXT_LIMIT = 32 * 1024;

    Answer {
        pieces = List.copyOf(pieces);
    }

    static Answer plan(ChatCall call) {
        String full = ResponseGenerator.respond(call.lastUserText(), call.prefill());
        List<String> all = ResponseGenerator.pieces(full);
        List<String> kept = all;
        if (call.maxTokens() != null) {
            kept = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            for (String piece : all) {
                // Counting the whole prefix, not piece by piece, keeps the total exact where BPE merges across pieces.
                if (Tokens.count(text + piece) > call.maxTokens()) {
                    break;
                }
                text.append(piece);
                kept.add(piece);
            }
        }
        String text = String.join("", kept);
        return new Answer(kept, kept.size() < all.size(), Tokens.prompt(call.texts()), Tokens.count(text));
    }

    String text() {
        return String.join("", pieces);
    }
}
