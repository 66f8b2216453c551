package dev.levee.internal.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.levee.ChatChunk;
import dev.levee.FinishReason;
import dev.levee.Provenance;
import dev.levee.Usage;
import dev.levee.config.ProviderConfig;
import dev.levee.internal.provider.Finish;
import dev.levee.internal.provider.HttpProviderAdapter;
import dev.levee.internal.provider.Json;
import dev.levee.internal.provider.UpstreamText;
import dev.levee.internal.provider.StreamDecoder;
import dev.levee.internal.provider.SseStreamDecoder;
import dev.levee.spi.FailureKind;
import dev.levee.spi.ProviderCall;
import dev.levee.spi.ProviderException;
import dev.levee.spi.ProviderReply;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** OpenAI's Chat Completions API, and any server compatible with it. */
public final class OpenAiAdapter extends HttpProviderAdapter {

    public OpenAiAdapter(Vertx vertx, ProviderConfig config, URI baseUrl) {
        super(vertx, config, baseUrl);
    }

    @Override
    protected String path() {
        return "/chat/completions";
    }

    @Override
    protected String pingPath() {
        return "/models";
    }

    @Override
    protected void addHeaders(MultiMap headers) {
        addBearerHeaders(headers);
    }

    @Override
    protected JsonNode requestBody(ProviderCall call, boolean stream) {
        ObjectNode body = OpenAiWire.request(call.model(), call.request());
        if (stream) {
            body.put("stream", true);
            // Without it an OpenAI-compatible upstream reports no usage for a stream, and cost cannot be tracked.
            ObjectNode options = body.has("stream_options") && body.get("stream_options").isObject()
                    ? (ObjectNode) body.get("stream_options") : body.putObject("stream_options");
            options.put("include_usage", true);
        } else {
            body.remove("stream_options");
            body.remove("stream");
        }
        return body;
    }

    @Override
    protected String embeddingsPath() {
        return "/embeddings";
    }

    @Override
    protected ObjectNode embeddingsBody(ProviderCall call) {
        return super.embeddingsBody(call).put("encoding_format", "float");
    }

    /** {@code data[].embedding} by {@code index}, and {@code usage.prompt_tokens}. */
    @Override
    protected ProviderReply parseEmbeddings(JsonNode body) {
        JsonNode data = body.get("data");
        if (data == null || !data.isArray() || data.isEmpty()) {
            throw new ProviderException(FailureKind.MALFORMED, 200, name() + ": embeddings answer without data", null);
        }
        float[][] vectors = new float[data.size()][];
        for (JsonNode item : data) {
            int index = item.path("index").asInt(-1);
            if (index < 0 || index >= vectors.length || vectors[index] != null) {
                throw new ProviderException(FailureKind.MALFORMED, 200, name() + ": embeddings answer with a bad index",
                        null);
            }
            vectors[index] = dev.levee.internal.provider.Embeddings.floats(item.get("embedding"), name());
        }
        int prompt = body.path("usage").path("prompt_tokens").asInt(-1);
        Usage usage = prompt < 0 ? null : new Usage(prompt, 0, prompt, false);
        return ProviderReply.embeddings(body.path("model").asText(null), usage, java.util.Arrays.asList(vectors));
    }

    @Override
    protected ProviderReply parseReply(Buffer body) {
        ProviderReply fast = CompletionFields.read(body.getBytes());
        return fast != null ? fast : super.parseReply(body); // the tree path says what is wrong
    }

    @Override
    protected ProviderReply parseReply(JsonNode body) {
        JsonNode choice = body.path("choices").path(0);
        JsonNode message = choice.path("message");
        if (!message.isObject()) {
            throw new ProviderException(FailureKind.MALFORMED, 200, name() + ": response has no choices[0].message", null);
        }
        String text = message.path("content").asText("");
        FinishReason finish = Finish.of(Json.text(choice, "finish_reason"));
        return new ProviderReply(text, body.path("model").asText(null), usage(body.get("usage")),
                finish == null ? FinishReason.STOP : finish, OpenAiWire.toolCalls(message.get("tool_calls")),
                OpenAiWire.logprobs(choice.get("logprobs")), OpenAiWire.provenance(body));
    }

    static Usage usage(JsonNode usage) {
        if (usage == null || !usage.isObject() || !usage.has("prompt_tokens")) {
            return null;
        }
        int prompt = usage.path("prompt_tokens").asInt();
        int completion = usage.path("completion_tokens").asInt();
        return new Usage(prompt, completion, usage.path("total_tokens").asInt(prompt + completion), false,
                usage.path("prompt_tokens_details").path("cached_tokens").asInt(0));
    }

    @Override
    protected ProviderException classify(int status, MultiMap headers, JsonNode body, String rawBody) {
        JsonNode error = body == null ? null : body.get("error");
        String message = error == null ? rawBody : error.isTextual() ? error.asText() : Json.text(error, "message");
        String code = error == null ? null : Json.text(error, "code");
        String type = error == null ? null : Json.text(error, "type");
        FailureKind kind = FailureKind.forStatus(status);
        if ("context_length_exceeded".equals(code)) {
            kind = FailureKind.CONTEXT_LENGTH;
        } else if ("content_policy_violation".equals(code) || "content_filter".equals(code)
                || "content_filter".equals(type)) {
            kind = FailureKind.CONTENT_FILTER;
        } else if ("model_not_found".equals(code)) {
            kind = FailureKind.MODEL_NOT_FOUND;
        }
        return failure(kind, status, message, headers);
    }

    @Override
    protected StreamDecoder newDecoder(ProviderCall call) {
        return new OpenAiStreamDecoder(name(), call.model());
    }

    /** SSE {@code data:} chunks up to {@code [DONE]}; usage arrives in a last chunk with no choices. */
    static final class OpenAiStreamDecoder extends SseStreamDecoder {
        private final String provider;
        private String model;
        private boolean finished;
        private boolean usageSeen;
        private Provenance provenance;
        private boolean provenanceSent;

        OpenAiStreamDecoder(String provider, String requestedModel) {
            this.provider = provider;
            this.model = requestedModel;
        }

        @Override
        protected boolean finished() {
            return finished;
        }

        @Override
        protected void onEvent(dev.levee.internal.stream.SseEvent event) {
            byte[] data = event.dataBytes();
            if (isDone(data)) {
                sink.end();
                return;
            }
            ChunkFields f = new ChunkFields(provenance == null, model);
            if (!f.read(data)) {
                sink.malformed(abbreviate(event.data()));
                return;
            }
            if (f.complex && !f.error) {
                onTree(Json.parseOrNull(event.data()));
                return;
            }
            if (f.error) {
                JsonNode error = Json.parseOrNull(event.data()).get("error");
                String message = error.isTextual() ? error.asText() : Json.text(error, "message");
                sink.fail(new ProviderException(FailureKind.STREAM_ERROR, 200,
                        provider + ": error event in stream: " + UpstreamText.clean(message), null));
                return;
            }
            if (f.model != null && !f.model.isEmpty()) {
                model = f.model;
            }
            Usage usage = f.hasUsage ? new Usage(f.promptTokens, f.completionTokens,
                    f.totalTokens >= 0 ? f.totalTokens : f.promptTokens + f.completionTokens, false, f.cachedTokens) : null;
            String text = f.content == null ? "" : f.content;
            FinishReason finish = Finish.of(f.finishReason);
            if (provenance == null && f.id != null) {
                provenance = new Provenance(f.id, f.created, f.systemFingerprint);
            }
            emit(new ChatChunk(text, model, finish, usage, List.of(), null, null));
        }

        private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

        /** {@code [DONE]}, with any whitespace around it. */
        private static boolean isDone(byte[] data) {
            int from = 0;
            int to = data.length;
            while (from < to && data[from] <= ' ') {
                from++;
            }
            while (to > from && data[to - 1] <= ' ') {
                to--;
            }
            return java.util.Arrays.equals(data, from, to, DONE, 0, DONE.length);
        }

        /** A chunk with tool calls or log probabilities, read as a tree. */
        private void onTree(JsonNode chunk) {
            if (chunk.hasNonNull("model") && !chunk.path("model").asText().isEmpty()) {
                model = chunk.path("model").asText();
            }
            JsonNode choice = chunk.path("choices").path(0);
            JsonNode delta = choice.path("delta");
            FinishReason finish = Finish.of(Json.text(choice, "finish_reason"));
            if (provenance == null && chunk.hasNonNull("id")) {
                provenance = OpenAiWire.provenance(chunk);
            }
            emit(new ChatChunk(delta.path("content").asText(""), model, finish, usage(chunk.get("usage")),
                    OpenAiWire.toolCallDeltas(delta.get("tool_calls")), OpenAiWire.logprobs(choice.get("logprobs")),
                    null));
        }

        /** Passes a chunk on when it carries anything; the first one passed carries the provenance. */
        private void emit(ChatChunk chunk) {
            if (chunk.finishReason() != null) {
                finished = true;
            }
            if (chunk.usage() != null) {
                usageSeen = true;
            }
            if (chunk.hasContent() || chunk.finishReason() != null || chunk.usage() != null
                    || chunk.logprobs() != null) {
                if (!provenanceSent && provenance != null) {
                    provenanceSent = true;
                    chunk = new ChatChunk(chunk.text(), chunk.model(), chunk.finishReason(), chunk.usage(),
                            chunk.toolCalls(), chunk.logprobs(), provenance);
                }
                sink.chunk(chunk);
            }
            if (finished && usageSeen) {
                sink.end(); // nothing follows the usage chunk but [DONE]: don't wait for it
            }
        }
    }

    static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
