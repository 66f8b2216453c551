package dev.levee.spi;

import dev.levee.ChatChunk;
import dev.levee.ChatResponse;
import dev.levee.LeveeException;
import io.vertx.core.Handler;

/**
 * A streamed answer past its commit point: a tier has produced content. Starts paused — wire the
 * handlers, then {@link #resume()}. Ends with exactly one of the end handler (the complete answer)
 * or the exception handler; a cut upstream is continued on a prefill-capable tier when one is left.
 */
public interface LiveStream {
    /** The model that produced the first content. */
    String model();

    /** The tier that produced the first content. */
    int fallbackLevel();

    /** The provider's id, creation time and fingerprint for the answer, as far as known at the commit point. */
    default dev.levee.Provenance provenance() {
        return dev.levee.Provenance.NONE;
    }

    /** Request parameters the answering target had no equivalent for (see {@code ChatResponse.notApplied}). */
    default java.util.List<String> notApplied() {
        return java.util.List.of();
    }

    LiveStream handler(Handler<ChatChunk> handler);

    LiveStream endHandler(Handler<ChatResponse> handler);

    LiveStream exceptionHandler(Handler<LeveeException> handler);

    LiveStream pause();

    LiveStream resume();

    /** The caller went away: the upstream is reset at once and the breaker records nothing. */
    void cancel();
}
