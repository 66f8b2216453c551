package dev.levee.internal.provider;

import dev.levee.ChatChunk;
import dev.levee.spi.FailureKind;
import dev.levee.spi.ProviderException;
import dev.levee.spi.ProviderStream;
import dev.levee.internal.stream.LineSplitter;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;

/**
 * A streaming upstream response as a {@link ProviderStream}: splits lines, decodes them, and
 * watches two clocks — the first content token must arrive before {@code firstTokenDeadlineNanos}
 * and later chunks may not be further apart than {@code idleMillis}. Exactly one of end, failure
 * or cancel happens.
 */
final class HttpStream implements ProviderStream, StreamSink {
    private static final int MAX_LINE_BYTES = 1 << 20;

    private enum State { OPEN, ENDED, FAILED, CANCELLED }

    private final Vertx vertx;
    private final HttpClientRequest request;
    private final HttpClientResponse response;
    private final String provider;
    private final long idleMillis;
    private final long firstTokenDeadlineNanos;
    private final StreamDecoder decoder;

    private State state = State.OPEN;
    private Handler<ChatChunk> chunkHandler = c -> { };
    private Handler<Void> endHandler = v -> { };
    private Handler<Throwable> exceptionHandler = e -> { };
    private boolean firstContentSeen;
    private boolean paused = true;
    private long lastActivityNanos;
    private long timerId = -1;

    HttpStream(Vertx vertx, HttpClientRequest request, HttpClientResponse response, String provider,
               StreamDecoder decoder, long firstTokenDeadlineNanos, long idleMillis) {
        this.vertx = vertx;
        this.request = request;
        this.response = response;
        this.provider = provider;
        this.decoder = decoder;
        this.firstTokenDeadlineNanos = firstTokenDeadlineNanos;
        this.idleMillis = idleMillis;
        this.lastActivityNanos = System.nanoTime();
        response.pause();
        LineSplitter lines = new LineSplitter(MAX_LINE_BYTES, (bytes, from, to) -> {
            if (state == State.OPEN) {
                decoder.line(bytes, from, to, this);
            }
        });
        response.handler(buffer -> {
            lastActivityNanos = System.nanoTime();
            try {
                lines.handle(buffer);
            } catch (IllegalStateException tooLong) {
                fail(new ProviderException(FailureKind.MALFORMED, provider + ": stream line over " + MAX_LINE_BYTES + " bytes"));
            }
        });
        response.endHandler(v -> {
            if (state == State.OPEN) {
                decoder.closed(this);
            }
            if (state == State.OPEN) {
                fail(new ProviderException(FailureKind.STREAM_CUT, provider + ": upstream closed the stream before it finished"));
            }
        });
        response.exceptionHandler(e -> fail(new ProviderException(FailureKind.STREAM_CUT,
                provider + ": stream broke: " + HttpProviderAdapter.describe(e))));
        armTimer(Math.max(1, (firstTokenDeadlineNanos - System.nanoTime()) / 1_000_000));
    }

    @Override
    public ProviderStream handler(Handler<ChatChunk> handler) {
        this.chunkHandler = handler;
        return this;
    }

    @Override
    public ProviderStream endHandler(Handler<Void> handler) {
        this.endHandler = handler;
        return this;
    }

    @Override
    public ProviderStream exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        return this;
    }

    @Override
    public ProviderStream pause() {
        paused = true;
        response.pause();
        return this;
    }

    @Override
    public ProviderStream resume() {
        paused = false;
        lastActivityNanos = System.nanoTime();
        response.resume();
        return this;
    }

    @Override
    public void cancel() {
        if (state != State.OPEN) {
            return;
        }
        // Mark first: reset() fires the exception handler synchronously, which would record a failure.
        state = State.CANCELLED;
        cancelTimer();
        request.reset();
    }

    // --- StreamSink, called by the decoder ---

    @Override
    public void chunk(ChatChunk chunk) {
        if (state != State.OPEN) {
            return;
        }
        if (!firstContentSeen && chunk.hasContent()) {
            firstContentSeen = true;
            cancelTimer();
            armTimer(idleMillis);
        }
        chunkHandler.handle(chunk);
    }

    @Override
    public void end() {
        if (state != State.OPEN) {
            return;
        }
        state = State.ENDED;
        cancelTimer();
        endHandler.handle(null);
    }

    @Override
    public void fail(ProviderException error) {
        if (state != State.OPEN) {
            return;
        }
        state = State.FAILED;
        cancelTimer();
        request.reset();
        exceptionHandler.handle(error);
    }

    /**
     * A chunk that cannot be read may have carried part of the answer: skipping it would deliver a
     * truncated answer as complete. The stream fails here, like a cut — continued on another tier
     * when one can, else ended with the in-band error.
     */
    @Override
    public void malformed(String what) {
        fail(new ProviderException(FailureKind.MALFORMED, 200, provider + ": unreadable stream chunk: "
                + UpstreamText.clean(what), null));
    }

    private void armTimer(long delayMillis) {
        timerId = vertx.setTimer(Math.max(1, delayMillis), id -> onTimer());
    }

    private void cancelTimer() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
    }

    private void onTimer() {
        timerId = -1;
        if (state != State.OPEN) {
            return;
        }
        long now = System.nanoTime();
        if (!firstContentSeen) {
            if (now >= firstTokenDeadlineNanos) {
                fail(new ProviderException(FailureKind.TIMEOUT, provider + ": no first token in time"));
            } else {
                armTimer((firstTokenDeadlineNanos - now) / 1_000_000);
            }
            return;
        }
        long silentMillis = (now - lastActivityNanos) / 1_000_000;
        if (paused || silentMillis < idleMillis) {
            // A paused stream is silent because our reader is slow, not the upstream.
            armTimer(paused ? idleMillis : idleMillis - silentMillis);
        } else {
            fail(new ProviderException(FailureKind.STALL, provider + ": stream stalled for " + silentMillis + " ms"));
        }
    }
}
