package dev.levee.internal.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.levee.ChatChunk;
import dev.levee.FinishReason;
import dev.levee.Provenance;
import dev.levee.ToolCall;
import dev.levee.ToolCallDelta;
import dev.levee.Usage;
import dev.levee.config.ProviderConfig;
import dev.levee.internal.provider.Finish;
import dev.levee.internal.provider.HttpProviderAdapter;
import dev.levee.internal.provider.Json;
import dev.levee.internal.provider.UpstreamText;
import dev.levee.internal.provider.StreamDecoder;
import dev.levee.internal.provider.StreamSink;
import dev.levee.spi.FailureKind;
import dev.levee.spi.ProviderCall;
import dev.levee.spi.ProviderException;
import dev.levee.spi.ProviderReply;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import dev.levee.internal.provider.Untranslated;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/** Ollama's native {@code /api/chat}: NDJSON streams, usage as {@code prompt_eval_count}/{@code eval_count}. */
public final class OllamaAdapter extends HttpProviderAdapter {

    public OllamaAdapter(Vertx vertx, ProviderConfig config, URI baseUrl) {
        super(vertx, config, baseUrl);
    }

    @Override
    protected String path() {
        return "/api/chat";
    }

    @Override
    protected String pingPath() {
        return "/api/tags";
    }

    @Override
    protected void addHeaders(MultiMap headers) {
        addBearerHeaders(headers);
    }

    /** OpenAI hints with an Ollama option of the same name and meaning. */
    private static final List<String> OPTIONS = List.of("seed", "presence_penalty", "frequency_penalty", "top_k");

    @Override
    public List<String> notApplied(ProviderCall call) {
        return Untranslated.hints(call, OPTIONS);
    }

    @Override
    protected String embeddingsPath() {
        return "/api/embed";
    }

    /** {@code embeddings[]} in input order, and {@code prompt_eval_count}. */
    @Override
    protected ProviderReply parseEmbeddings(JsonNode body) {
        JsonNode embeddings = body.get("embeddings");
        if (embeddings == null || !embeddings.isArray() || embeddings.isEmpty()) {
            throw new ProviderException(FailureKind.MALFORMED, 200, name() + ": embeddings answer without embeddings",
                    null);
        }
        List<float[]> vectors = new java.util.ArrayList<>(embeddings.size());
        for (JsonNode v : embeddings) {
            vectors.add(dev.levee.internal.provider.Embeddings.floats(v, name()));
        }
        int prompt = body.path("prompt_eval_count").asInt(-1);
        Usage usage = prompt < 0 ? null : new Usage(prompt, 0, prompt, false);
        return ProviderReply.embeddings(body.path("model").asText(null), usage, vectors);
    }

    @Override
    protected JsonNode requestBody(ProviderCall call, boolean stream) {
        ObjectNode body = Json.object();
        body.put("model", call.model());
        OllamaWire.messages(body, call.messages(), name());
        OllamaWire.shape(body, call, name());
        body.put("stream", stream); // Ollama streams unless told otherwise
        ObjectNode options = body.putObject("options");
        for (String option : OPTIONS) {
            JsonNode value = call.extra().get(option);
            if (value != null) {
                options.set(option, value);
            }
        }
        if (call.maxTokens() != null) {
            options.put("num_predict", call.maxTokens());
        }
        if (call.temperature() != null) {
            options.put("temperature", call.temperature());
        }
        if (call.topP() != null) {
            options.put("top_p", call.topP());
        }
        if (!call.stop().isEmpty()) {
            ArrayNode stop = options.putArray("stop");
            call.stop().forEach(stop::add);
        }
        return body;
    }

    @Override
    protected ProviderReply parseReply(JsonNode body) {
        if (body.hasNonNull("error")) {
            throw new ProviderException(FailureKind.SERVER, 200, name() + ": " + body.get("error").asText(), null);
        }
        JsonNode message = body.get("message");
        if (message == null || !message.isObject()) {
            throw new ProviderException(FailureKind.MALFORMED, 200, name() + ": response has no message", null);
        }
        FinishReason finish = Finish.of(Json.text(body, "done_reason"));
        List<ToolCall> calls = OllamaWire.toolCalls(message.get("tool_calls"));
        if (!calls.isEmpty()) {
            finish = FinishReason.TOOL_CALLS; // Ollama says "stop"; OpenAI clients look for tool_calls
        }
        return new ProviderReply(message.path("content").asText(""), body.path("model").asText(null), usage(body),
                finish == null ? FinishReason.STOP : finish, calls, null, Provenance.NONE);
    }

    static Usage usage(JsonNode body) {
        if (!body.has("prompt_eval_count") && !body.has("eval_count")) {
            return null;
        }
        return Usage.of(body.path("prompt_eval_count").asInt(0), body.path("eval_count").asInt(0));
    }

    @Override
    protected ProviderException classify(int status, MultiMap headers, JsonNode body, String rawBody) {
        String message = body != null && body.hasNonNull("error") ? body.get("error").asText() : rawBody;
        FailureKind kind = FailureKind.forStatus(status);
        String lower = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (status == 404 || lower.contains("not found, try pulling")) {
            kind = FailureKind.MODEL_NOT_FOUND;
        } else if (status == 400 && looksLikeContextLength(lower)) {
            kind = FailureKind.CONTEXT_LENGTH;
        } else if (status == 400 && looksLikeContentRefusal(lower)) {
            kind = FailureKind.CONTENT_FILTER; // e.g. an OpenAI-compatible server behind an Ollama-style API
        }
        return failure(kind, status, message, headers);
    }

    @Override
    protected StreamDecoder newDecoder(ProviderCall call) {
        return new Decoder(name(), call.model());
    }

    /** One JSON object per line; the last has {@code done: true} and the counts. */
    static final class Decoder implements StreamDecoder {
        private final String provider;
        private String model;
        private int toolCalls;

        Decoder(String provider, String model) {
            this.provider = provider;
            this.model = model;
        }

        @Override
        public void line(String line, StreamSink sink) {
            if (line.isBlank()) {
                return;
            }
            JsonNode json = Json.parseOrNull(line);
            if (json == null || !json.isObject()) {
                sink.malformed(line.length() > 120 ? line.substring(0, 120) + "..." : line);
                return;
            }
            if (json.hasNonNull("error")) {
                sink.fail(new ProviderException(FailureKind.STREAM_ERROR, 200,
                        provider + ": error in stream: " + UpstreamText.clean(json.get("error").asText()), null));
                return;
            }
            if (json.hasNonNull("model")) {
                model = json.get("model").asText();
            }
            String text = json.path("message").path("content").asText("");
            List<ToolCallDelta> calls = OllamaWire.toolCallDeltas(json.path("message").get("tool_calls"), toolCalls);
            toolCalls += calls.size();
            if (json.path("done").asBoolean(false)) {
                FinishReason finish = toolCalls > 0 ? FinishReason.TOOL_CALLS : Finish.of(Json.text(json, "done_reason"));
                sink.chunk(new ChatChunk(text, model, finish == null ? FinishReason.STOP : finish, usage(json), calls,
                        null, null));
                sink.end();
            } else if (!text.isEmpty() || !calls.isEmpty()) {
                sink.chunk(new ChatChunk(text, model, null, null, calls, null, null));
            }
        }

        @Override
        public void closed(StreamSink sink) {
            // Without the done object the stream was cut; HttpStream reports it.
        }
    }
}
