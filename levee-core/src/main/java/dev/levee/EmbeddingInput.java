package dev.levee;

import java.util.List;

/**
 * What an embeddings request embeds: one vector per text, in order.
 *
 * @param texts the inputs, 1 to {@value #MAX_INPUTS}, none empty
 * @param dimensions the vectors' length to ask the target for, or {@code null} for the tier's own
 *        ({@code dimensions} in its config) or the model's
 */
public record EmbeddingInput(List<String> texts, Integer dimensions) {
    public static final int MAX_INPUTS = 2048;

    public EmbeddingInput {
        texts = List.copyOf(texts);
        if (texts.isEmpty() || texts.size() > MAX_INPUTS) {
            throw new IllegalArgumentException("input must hold 1 to " + MAX_INPUTS + " texts");
        }
        for (String t : texts) {
            if (t.isEmpty()) {
                throw new IllegalArgumentException("input cannot hold an empty string");
            }
        }
        if (dimensions != null && (dimensions < 1 || dimensions > 65_536)) {
            throw new IllegalArgumentException("dimensions must be in [1, 65536]");
        }
    }

    public static EmbeddingInput of(String... texts) {
        return new EmbeddingInput(List.of(texts), null);
    }
}
