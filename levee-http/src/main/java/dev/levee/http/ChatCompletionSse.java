package dev.levee.http;

import dev.levee.ChatChunk;
import dev.levee.ChatResponse;
import dev.levee.LeveeException;
import dev.levee.spi.LiveStream;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/** OpenAI's stream: {@code data:} frames of {@code chat.completion.chunk}, then {@code data: [DONE]}. */
final class ChatCompletionSse implements SseFormat {
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private final String id;
    private final long created;
    private final String model;
    private final boolean includeUsage;
    /** The fixed start of a content chunk for the model answering now. */
    private String prefixModel;
    private byte[] prefix;

    ChatCompletionSse(LiveStream stream, String requestId, long created, boolean includeUsage) {
        this.id = ChatCompletionResponse.id(stream.provenance(), requestId);
        this.created = ChatCompletionResponse.created(stream.provenance(), created);
        this.model = stream.model();
        this.includeUsage = includeUsage;
    }

    @Override
    public void open(Buffer out) {
        frame(out, ChatCompletionResponse.chunk(id, created, model, "assistant", "", null));
    }

    @Override
    public void chunk(ChatChunk chunk, Buffer out) {
        String from = chunk.model() != null ? chunk.model() : model;
        if (!chunk.toolCalls().isEmpty() || chunk.logprobs() != null) {
            frame(out, ChatCompletionResponse.richChunk(id, created, from, chunk));
            return;
        }
        if (!from.equals(prefixModel)) {
            prefixModel = from;
            prefix = ChatCompletionResponse.contentPrefix(id, created, from);
        }
        out.appendBytes(DATA);
        ChatCompletionResponse.appendContentChunk(out, prefix, chunk.text());
        out.appendBytes(END);
    }

    @Override
    public void close(ChatResponse r, Buffer out) {
        frame(out, ChatCompletionResponse.chunk(id, created, r.modelUsed(), null, null, r.finishReason()));
        if (includeUsage) {
            frame(out, ChatCompletionResponse.usageChunk(id, created, r.modelUsed(), r.usage()));
        }
        out.appendBytes(DONE);
    }

    @Override
    public void error(LeveeException e, Buffer out) {
        // openai-java raises on an error event; the reset that follows covers clients that only read to the end.
        frame(out, Json.write(new ApiError(502, "server_error", "stream_interrupted", null, e.getMessage()).toJson()));
    }

    private static void frame(Buffer out, Buffer json) {
        out.appendBytes(DATA).appendBuffer(json).appendBytes(END);
    }
}
