package dev.levee;

import dev.levee.spi.Reply;
import io.vertx.core.Future;

/**
 * A request in flight on levee's event loops — what a server built on the same Vert.x uses: its id,
 * its reply, and a way to abandon it.
 */
public interface Call {
    String requestId();

    /**
     * Completes on a Vert.x event loop: with the complete answer, or for a stream at its commit point
     * (the first content) with a paused {@link dev.levee.spi.LiveStream}. Fails with {@link LeveeException}.
     */
    Future<Reply> reply();

    /** Abandons the request: upstream calls are reset and breakers record nothing. */
    void cancel();

    /**
     * Where the caller stands against its rate limits once the request was admitted or refused by them,
     * or {@code null} (no such limits, or not checked yet).
     */
    default LimitStatus limits() {
        return null;
    }
}
