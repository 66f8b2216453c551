package dev.levee;

/** Why a model stopped producing output, normalised across providers. */
public enum FinishReason {
    /** A natural end, or a stop sequence. */
    STOP,
    /** The token limit was reached. */
    LENGTH,
    /** The provider's content filter cut the answer. */
    CONTENT_FILTER;

    public String wireName() {
        return switch (this) {
            case STOP -> "stop";
            case LENGTH -> "length";
            case CONTENT_FILTER -> "content_filter";
        };
    }
}
