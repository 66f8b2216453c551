package dev.levee;

/**
 * Token usage of one response. {@code estimated} is true when the provider reported none and
 * levee counted the tokens itself.
 *
 * @param cachedTokens the prompt tokens the provider served from its prompt cache (part of
 *        {@code promptTokens}, often billed lower), 0 when it reported none
 */
public record Usage(int promptTokens, int completionTokens, int totalTokens, boolean estimated, int cachedTokens) {
    public static final Usage NONE = new Usage(0, 0, 0, false);

    public Usage {
        if (promptTokens < 0 || completionTokens < 0 || totalTokens < 0 || cachedTokens < 0) {
            throw new IllegalArgumentException("token counts must be >= 0");
        }
    }

    public Usage(int promptTokens, int completionTokens, int totalTokens, boolean estimated) {
        this(promptTokens, completionTokens, totalTokens, estimated, 0);
    }

    public static Usage of(int promptTokens, int completionTokens) {
        return new Usage(promptTokens, completionTokens, promptTokens + completionTokens, false);
    }

    /** The same usage with the provider's count of cached prompt tokens. */
    public Usage withCachedTokens(int cached) {
        return new Usage(promptTokens, completionTokens, totalTokens, estimated, cached);
    }

    /** Adds another usage, as when a stream was continued on a second tier. */
    public Usage plus(Usage other) {
        return new Usage(promptTokens + other.promptTokens, completionTokens + other.completionTokens,
                totalTokens + other.totalTokens, estimated || other.estimated, cachedTokens + other.cachedTokens);
    }
}
