package dev.levee;

/**
 * Receives a streamed answer. Called on a Vert.x event-loop thread: return quickly, never block.
 * Exactly one of {@link #onComplete} and {@link #onError} is called, last.
 */
public interface StreamHandler {
    /** The stream is committed: {@code model} at tier {@code fallbackLevel} produced the first content. */
    default void onStart(String requestId, String model, int fallbackLevel) {
    }

    void onChunk(ChatChunk chunk);

    /** The complete answer and its metadata. */
    void onComplete(ChatResponse response);

    void onError(LeveeException error);
}
