package dev.levee;

/** Why a model stopped producing output, normalised across providers. */
public enum FinishReason {
    /** A natural end, or a stop sequence. */
    STOP,
    /** The token limit was reached. */
    LENGTH,
    /** The provider's content filter cut the answer. */
    CONTENT_FILTER,
    /** The model stopped to have tools called. */
    TOOL_CALLS;

    public String wireName() {
        return switch (this) {
            case STOP -> "stop";
            case LENGTH -> "length";
            case CONTENT_FILTER -> "content_filter";
            case TOOL_CALLS -> "tool_calls";
        };
    }
}
