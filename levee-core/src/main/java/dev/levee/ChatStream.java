package dev.levee;

import java.util.concurrent.CompletableFuture;

/** A streaming call in progress. */
public interface ChatStream {
    String requestId();

    /** Completes with the whole answer when the stream ends, exceptionally with a {@link LeveeException}. */
    CompletableFuture<ChatResponse> completion();

    /** Stops the stream: the upstream request is reset at once, and no tokens are paid for nobody. */
    void cancel();

    /** Backpressure: stop reading from the upstream until {@link #resume()}. */
    void pause();

    void resume();
}
