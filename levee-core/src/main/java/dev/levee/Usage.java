package dev.levee;

/**
 * Token usage of one response. {@code estimated} is true when the provider reported none and
 * levee counted the tokens itself.
 */
public record Usage(int promptTokens, int completionTokens, int totalTokens, boolean estimated) {
    public static final Usage NONE = new Usage(0, 0, 0, false);

    public Usage {
        if (promptTokens < 0 || completionTokens < 0 || totalTokens < 0) {
            throw new IllegalArgumentException("token counts must be >= 0");
        }
    }

    public static Usage of(int promptTokens, int completionTokens) {
        return new Usage(promptTokens, completionTokens, promptTokens + completionTokens, false);
    }

    /** Adds another usage, as when a stream was continued on a second tier. */
    public Usage plus(Usage other) {
        return new Usage(promptTokens + other.promptTokens, completionTokens + other.completionTokens,
                totalTokens + other.totalTokens, estimated || other.estimated);
    }
}
