package dev.levee.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * What the simulated model will say to one call, already cut to its token cap.
 *
 * @param pieces    the text in streaming order, one word with its leading whitespace each; for a tool
 *                  call, its arguments in pieces
 * @param truncated whether the cap cut the answer short (finish reason {@code length} / {@code max_tokens})
 * @param toolCall  the function called, or {@code null} for a text answer
 */
record Answer(List<String> pieces, boolean truncated, int promptTokens, int completionTokens, ToolCallPlan toolCall) {

    /** A tool call: the id the caller echoes in its tool message, and the function. */
    record ToolCallPlan(String id, String name) {
    }

    Answer(List<String> pieces, boolean truncated, int promptTokens, int completionTokens) {
        this(pieces, truncated, promptTokens, completionTokens, null);
    }

    /** Above this much prompt text, counting tokens is moved off the event loop. */
    static final int INLINE_TEXT_LIMIT = 32 * 1024;

    Answer {
        pieces = List.copyOf(pieces);
    }

    static Answer plan(ChatCall call) {
        ChatCall.ToolSpec tool = call.toolToCall();
        if (tool != null) {
            String arguments = SampleJson.of(tool.parameters(), call.lastUserText()).toString();
            List<String> pieces = new ArrayList<>();
            for (int i = 0; i < arguments.length(); i += 8) {
                pieces.add(arguments.substring(i, Math.min(arguments.length(), i + 8)));
            }
            String id = "call_" + Integer.toHexString((call.lastUserText() + tool.name()).hashCode() & 0x7fffffff);
            return new Answer(pieces, false, Tokens.prompt(call.texts()), Tokens.count(arguments),
                    new ToolCallPlan(id, tool.name()));
        }
        String partial = call.instructedContinuation();
        String full = call.toolResult() != null ? "The tool returned: " + call.toolResult()
                : partial != null ? ResponseGenerator.resume(call.userTextBeforeContinuation(), partial)
                : ResponseGenerator.respond(call.lastUserText(), call.prefill());
        if (call.shape().schema() != null) {
            full = SampleJson.of(call.shape().schema(), call.lastUserText()).toString();
        } else if (call.shape().jsonObject()) {
            full = Json.object().put("answer", full).toString();
        }
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
