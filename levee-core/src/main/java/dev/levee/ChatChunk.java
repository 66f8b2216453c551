package dev.levee;

/**
 * One piece of a streamed answer.
 *
 * @param text the new text, possibly empty
 * @param model the model producing this chunk
 * @param finishReason set on the last content chunk
 * @param usage set when the provider reports usage, usually on the last chunk
 */
public record ChatChunk(String text, String model, FinishReason finishReason, Usage usage) {
    public ChatChunk {
        text = text == null ? "" : text;
    }

    public static ChatChunk text(String text, String model) {
        return new ChatChunk(text, model, null, null);
    }

    public boolean hasContent() {
        return !text.isEmpty();
    }
}
