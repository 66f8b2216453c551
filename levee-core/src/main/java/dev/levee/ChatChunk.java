package dev.levee;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One piece of a streamed answer.
 *
 * @param text the new text, possibly empty
 * @param model the model producing this chunk
 * @param finishReason set on the last content chunk
 * @param usage set when the provider reports usage, usually on the last chunk
 * @param toolCalls pieces of tool calls, in order, possibly empty
 * @param logprobs the provider's {@code logprobs} for this chunk, unchanged, or {@code null}
 * @param provenance the provider's id, creation time and fingerprint, when this chunk carries them
 */
public record ChatChunk(String text, String model, FinishReason finishReason, Usage usage, List<ToolCallDelta> toolCalls,
                        JsonNode logprobs, Provenance provenance) {
    public ChatChunk {
        text = text == null ? "" : text;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public ChatChunk(String text, String model, FinishReason finishReason, Usage usage) {
        this(text, model, finishReason, usage, List.of(), null, null);
    }

    public static ChatChunk text(String text, String model) {
        return new ChatChunk(text, model, null, null);
    }

    /** Whether the chunk carries part of the answer: text or a tool call. */
    public boolean hasContent() {
        return !text.isEmpty() || !toolCalls.isEmpty();
    }
}
