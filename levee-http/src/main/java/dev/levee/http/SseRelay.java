package dev.levee.http;

import dev.levee.ChatChunk;
import dev.levee.ChatResponse;
import dev.levee.LeveeException;
import dev.levee.spi.LiveStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * Relays a committed stream to the client as server-sent events, framed by an API's {@link
 * SseFormat}. The response is committed only here — after the first real content is in hand — so
 * every earlier failure stayed invisible. A slow client pauses the upstream read; a client that
 * leaves cancels it; a stream that fails after content ends with an error event and a reset, never
 * with a clean end.
 */
final class SseRelay {
    private final HttpServerResponse response;
    private final LiveStream stream;
    private final SseFormat format;
    private final List<String> notApplied;
    private final Runnable onFinish;
    private final io.vertx.core.Context context;
    /** The largest single write: see {@link #flush()}. */
    private static final int SLICE_BYTES = 4 * 1024;

    private boolean finished;
    /** Frames produced while one upstream buffer is decoded, written together on the next tick. */
    private Buffer pending;

    /** @param notApplied what the API itself left out, named with what the answering target left out */
    SseRelay(HttpServerResponse response, LiveStream stream, SseFormat format, List<String> notApplied,
             Runnable onFinish) {
        this.response = response;
        this.stream = stream;
        this.format = format;
        this.notApplied = notApplied;
        this.onFinish = onFinish;
        this.context = io.vertx.core.Vertx.currentContext();
    }

    void start() {
        if (response.closed()) {
            stream.cancel();
            finish();
            return;
        }
        Responses.answered(response, stream.model(), stream.fallbackLevel(),
                        Responses.concat(notApplied, stream.notApplied()))
                .setStatusCode(200)
                .putHeader(HttpHeaders.CONTENT_TYPE, Responses.EVENT_STREAM)
                .putHeader(HttpHeaders.CACHE_CONTROL, Responses.NO_CACHE)
                .setChunked(true);
        response.closeHandler(v -> {
            if (!finished) {
                stream.cancel(); // nobody reads: stop paying for tokens at once
                finish();
            }
        });
        response.drainHandler(v -> stream.resume());
        // Batched like every frame, not written at once: the first content chunk, in hand now, joins
        // it, and so does the rest of the upstream read — often the whole answer — in one write.
        format.open(pending());
        stream.handler(this::relay).endHandler(this::complete).exceptionHandler(this::fail);
        stream.resume();
    }

    private void relay(ChatChunk chunk) {
        if (!finished && chunk.hasContent()) {
            format.chunk(chunk, pending());
        }
    }

    private void complete(ChatResponse r) {
        if (finished) {
            return;
        }
        Buffer last = pending();
        pending = null;
        format.close(r, last);
        response.end(last);
        finish();
    }

    private void fail(LeveeException e) {
        if (finished) {
            return;
        }
        Buffer frames = pending();
        pending = null;
        format.error(e, frames);
        // The reset leaves the chunked body unterminated, so clients that only read to the end see a
        // failure too instead of a clean end on a truncated answer.
        response.write(frames).onComplete(v -> response.reset());
        finish();
    }

    /**
     * The batch being gathered; the first frame of a batch schedules its write. An upstream read
     * usually carries several chunks; writing each would cost a flush (a syscall) apiece, so the
     * batch is written once, when the current event-loop task is done.
     */
    private Buffer pending() {
        if (pending == null) {
            pending = Buffer.buffer(4096); // an upstream read of a typical stream fits without regrowing
            context.runOnContext(v -> flush());
        }
        return pending;
    }

    /**
     * Writes the batch in slices. Vert.x reports a full write queue only once sixteen writes wait
     * behind a socket Netty has already stopped taking, so the size of each write is what bounds
     * the bytes held for a client that stops reading: a whole upstream read written at once (up to
     * 64 KiB, decoded) would let a stalled stream hold sixteen of those before the upstream pauses.
     */
    private void flush() {
        Buffer frames = pending;
        pending = null;
        if (frames != null && !response.ended() && !response.closed()) {
            int length = frames.length();
            if (length <= SLICE_BYTES) {
                response.write(frames);
            } else {
                for (int from = 0; from < length; from += SLICE_BYTES) {
                    response.write(frames.slice(from, Math.min(length, from + SLICE_BYTES)));
                }
            }
            if (response.writeQueueFull()) {
                stream.pause(); // a slow client slows the upstream read; the drain handler resumes it
            }
        }
    }

    private void finish() {
        if (!finished) {
            finished = true;
            onFinish.run();
        }
    }
}
