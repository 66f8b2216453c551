package dev.levee.server;

import dev.levee.ChatChunk;
import dev.levee.ChatResponse;
import dev.levee.LeveeException;
import dev.levee.pipeline.LiveStream;
import io.vertx.core.buffer.Buffer;
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
    private boolean finished;

    SseRelay(HttpServerResponse response, LiveStream stream, String requestId, long created, boolean includeUsage,
             Runnable onFinish) {
        this.response = response;
        this.stream = stream;
        this.id = ChatCompletionResponse.completionId(requestId);
        this.created = created;
        this.includeUsage = includeUsage;
        this.onFinish = onFinish;
    }

    void start() {
        if (response.closed()) {
            stream.cancel();
            finish();
            return;
        }
        response.setStatusCode(200)
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache")
                .putHeader("x-levee-model-used", stream.model())
                .putHeader("x-levee-fallback-level", String.valueOf(stream.fallbackLevel()))
                .setChunked(true);
        response.closeHandler(v -> {
            if (!finished) {
                stream.cancel(); // nobody reads: stop paying for tokens at once
                finish();
            }
        });
        response.drainHandler(v -> stream.resume());
        write(ChatCompletionResponse.chunk(id, created, stream.model(), "assistant", "", null));
        stream.handler(this::relay).endHandler(this::complete).exceptionHandler(this::fail);
        stream.resume();
    }

    private void relay(ChatChunk chunk) {
        if (finished || !chunk.hasContent()) {
            return;
        }
        write(ChatCompletionResponse.chunk(id, created, chunk.model(), null, chunk.text(), null));
        if (response.writeQueueFull()) {
            stream.pause();
        }
    }

    private void complete(ChatResponse r) {
        if (finished) {
            return;
        }
        write(ChatCompletionResponse.chunk(id, created, r.modelUsed(), null, null, r.finishReason()));
        if (includeUsage) {
            write(ChatCompletionResponse.usageChunk(id, created, r.modelUsed(), r.usage()));
        }
        response.end(DONE);
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
        write(error.toJson()).onComplete(v -> response.reset());
        finish();
    }

    private io.vertx.core.Future<Void> write(com.fasterxml.jackson.databind.JsonNode event) {
        Buffer json = Json.write(event);
        return response.write(Buffer.buffer(json.length() + 8).appendBytes(DATA).appendBuffer(json).appendBytes(END));
    }

    private void finish() {
        if (!finished) {
            finished = true;
            onFinish.run();
        }
    }
}
