package dev.levee.spi;

import dev.levee.ChatChunk;
import io.vertx.core.Handler;

/**
 * A live upstream stream, already translated to levee's chunks. Handlers run on the event loop
 * of the request; set them before calling {@link #resume()}: the stream starts paused so nothing is
 * lost between the response headers and the caller's wiring.
 */
public interface ProviderStream {
    ProviderStream handler(Handler<ChatChunk> handler);

    /** Called once when the upstream finished properly (a finish reason or {@code [DONE]}). */
    ProviderStream endHandler(Handler<Void> handler);

    /** Called once with a {@link ProviderException} when the stream failed (cut, stall, error event). */
    ProviderStream exceptionHandler(Handler<Throwable> handler);

    /** Stops reading from the upstream socket (backpressure). */
    ProviderStream pause();

    ProviderStream resume();

    /** Abandons the stream and resets the upstream request; no handler is called afterwards. */
    void cancel();
}
