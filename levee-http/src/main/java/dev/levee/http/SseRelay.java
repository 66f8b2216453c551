package dev.levee.http;

import dev.levee.ChatChunk;
import dev.levee.ChatResponse;
import dev.levee.LeveeException;
import dev.levee.spi.LiveStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * Relays a committed stream to the client as OpenAI server-sent events. The response is committed
 * only here — after the first real content is in hand — so every earlier failure stayed invisible.
 * A slow client pauses the upstream read; a client that leaves cancels it; a stream that fails
 * after content ends with an error event, never with a clean {@code [DONE]}.
 */
final class SseRelay {
    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private final HttpServerResponse response;
    private final LiveStream stream;
    private final String id;
    private final long created;
    private final boolean includeUsage;
    private final Runnable onFinish;
    private final io.vertx.core.Context context;
    private boolean finished;
    /** Frames produced while one upstream buffer is decoded, written together on the next tick. */
    private Buffer pending;
    /** The fixed start of a content chunk for the model answering now. */
    private String prefixModel;
    private byte[] prefix;

    SseRelay(HttpServerResponse response, LiveStream stream, String requestId, long created, boolean includeUsage,
             Runnable onFinish) {
        this.response = response;
        this.stream = stream;
        this.id = ChatCompletionResponse.id(stream.provenance(), requestId);
        this.created = ChatCompletionResponse.created(stream.provenance(), created);
        this.includeUsage = includeUsage;
        this.onFinish = onFinish;
        this.context = io.vertx.core.Vertx.currentContext();
    }

    void start() {
        if (response.closed()) {
            stream.cancel();
            finish();
            return;
        }
        response.setStatusCode(200)
                .putHeader(HttpHeaders.CONTENT_TYPE, Responses.EVENT_STREAM)
                .putHeader(HttpHeaders.CACHE_CONTROL, Responses.NO_CACHE)
                .putHeader(Responses.MODEL_USED, stream.model())
                .putHeader(Responses.FALLBACK_LEVEL, Responses.fallbackLevel(stream.fallbackLevel()))
                .setChunked(true);
        if (!stream.notApplied().isEmpty()) {
            response.putHeader(Responses.NOT_APPLIED, String.join(", ", stream.notApplied()));
        }
        response.closeHandler(v -> {
            if (!finished) {
                stream.cancel(); // nobody reads: stop paying for tokens at once
                finish();
            }
        });
        response.drainHandler(v -> stream.resume());
        // Batched like every frame, not written at once: the first content chunk, in hand now, joins
        // it, and so does the rest of the upstream read — often the whole answer — in one write.
        enqueue(ChatCompletionResponse.chunk(id, created, stream.model(), "assistant", "", null));
        stream.handler(this::relay).endHandler(this::complete).exceptionHandler(this::fail);
        stream.resume();
    }

    private void relay(ChatChunk chunk) {
        if (finished || !chunk.hasContent()) {
            return;
        }
        String model = chunk.model() != null ? chunk.model() : stream.model();
        if (!chunk.toolCalls().isEmpty() || chunk.logprobs() != null) {
            enqueue(ChatCompletionResponse.richChunk(id, created, model, chunk));
            return;
        }
        if (!model.equals(prefixModel)) {
            prefixModel = model;
            prefix = ChatCompletionResponse.contentPrefix(id, created, model);
        }
        Buffer out = pending().appendBytes(DATA);
        ChatCompletionResponse.appendContentChunk(out, prefix, chunk.text());
        out.appendBytes(END);
    }

    private void complete(ChatResponse r) {
        if (finished) {
            return;
        }
        enqueue(ChatCompletionResponse.chunk(id, created, r.modelUsed(), null, null, r.finishReason()));
        if (includeUsage) {
            enqueue(ChatCompletionResponse.usageChunk(id, created, r.modelUsed(), r.usage()));
        }
        Buffer last = pending == null ? DONE.copy() : pending.appendBuffer(DONE);
        pending = null;
        response.end(last);
        finish();
    }

    private void fail(LeveeException e) {
        if (finished) {
            return;
        }
        ApiError error = new ApiError(502, "server_error", "stream_interrupted", null, e.getMessage());
        // The error event tells SDKs that read events (openai-java raises on it); the reset that follows
        // leaves the chunked body unterminated, so clients that only read to the end see a failure too
        // instead of a clean end on a truncated answer.
        enqueue(Json.write(error.toJson()));
        Buffer frames = pending;
        pending = null;
        response.write(frames).onComplete(v -> response.reset());
        finish();
    }

    /**
     * Adds a frame to the pending batch. An upstream read usually carries several chunks; writing
     * each would cost a flush (a syscall) apiece, so the batch is written once, when the current
     * event-loop task is done.
     */
    private void enqueue(Buffer json) {
        pending().appendBytes(DATA).appendBuffer(json).appendBytes(END);
    }

    /** The batch being gathered; the first frame of a batch schedules its write. */
    private Buffer pending() {
        if (pending == null) {
            pending = Buffer.buffer(4096); // an upstream read of a typical stream fits without regrowing
            context.runOnContext(v -> flush());
        }
        return pending;
    }

    private void flush() {
        Buffer frames = pending;
        pending = null;
        if (frames != null && !response.ended() && !response.closed()) {
            response.write(frames);
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
