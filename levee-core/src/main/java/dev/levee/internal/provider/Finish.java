package dev.levee.internal.provider;

import dev.levee.FinishReason;

/** Finish reasons from each wire format. */
public final class Finish {
    private Finish() {
    }

    public static FinishReason of(String wire) {
        if (wire == null) {
            return null;
        }
        return switch (wire) {
            case "length", "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "content_filter", "refusal" -> FinishReason.CONTENT_FILTER;
            case "tool_calls", "function_call", "tool_use" -> FinishReason.TOOL_CALLS;
            default -> FinishReason.STOP;
        };
    }
}
