package dev.levee.internal.provider.anthropic;

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
import dev.levee.internal.provider.SseStreamDecoder;
import dev.levee.spi.FailureKind;
import dev.levee.spi.ProviderCall;
import dev.levee.spi.ProviderException;
import dev.levee.spi.ProviderReply;
import dev.levee.internal.stream.SseEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import dev.levee.internal.provider.Untranslated;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/** Anthropic's Messages API: system prompt apart, {@code max_tokens} required, typed SSE events. */
public final class AnthropicAdapter extends HttpProviderAdapter {
    static final String API_VERSION = "2023-06-01";
    /** Anthropic requires max_tokens; this is the cap when the caller sets none. */
    static final int DEFAULT_MAX_TOKENS = 1024;

    public AnthropicAdapter(Vertx vertx, ProviderConfig config, URI baseUrl) {
        super(vertx, config, baseUrl);
    }

    @Override
    protected String path() {
        return "/v1/messages";
    }

    @Override
    protected String pingPath() {
        return "/v1/models";
    }

    @Override
    protected void addHeaders(MultiMap headers) {
        if (config.apiKey() != null) {
            headers.set("x-api-key", config.apiKey().reveal());
        }
        headers.set("anthropic-version", API_VERSION);
        config.headers().forEach(headers::set);
    }

    private static final String TOP_K = "top_k";

    @Override
    public List<String> notApplied(ProviderCall call) {
        return Untranslated.hints(call, List.of("parallel_tool_calls", TOP_K));
    }

    @Override
    protected JsonNode requestBody(ProviderCall call, boolean stream) {
        ObjectNode body = Json.object();
        body.put("model", call.model());
        body.put("max_tokens", call.maxTokens() == null ? DEFAULT_MAX_TOKENS : call.maxTokens());
        AnthropicWire.messages(body, call.messages(), name());
        AnthropicWire.tools(body, call, name());
        if (call.temperature() != null) {
            // Anthropic's range is [0, 1]; OpenAI-style callers may send up to 2.
            body.put("temperature", Math.min(1.0, call.temperature()));
        }
        if (call.topP() != null) {
            body.put("top_p", call.topP());
        }
        JsonNode topK = call.extra().get(TOP_K); // Anthropic's own sampling field, as its Messages API clients send it
        if (topK != null) {
            body.set(TOP_K, topK);
        }
        if (!call.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop_sequences");
            call.stop().forEach(stop::add);
        }
        if (stream) {
            body.put("stream", true);
        }
        return body;
    }

    @Override
    protected ProviderReply parseReply(JsonNode body) {
        JsonNode content = body.get("content");
        if (content == null || !content.isArray()) {
            throw new ProviderException(FailureKind.MALFORMED, 200, name() + ": response has no content array", null);
        }
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        boolean json = false;
        for (JsonNode block : content) {
            String type = Json.text(block, "type");
            if ("text".equals(type)) {
                text.append(block.path("text").asText(""));
            } else if ("tool_use".equals(type) && AnthropicWire.JSON_TOOL.equals(Json.text(block, "name"))) {
                json = true;
                text.setLength(0);
                text.append(block.path("input").toString()); // the JSON answer asked for as a forced tool call
            } else if ("tool_use".equals(type)) {
                calls.add(new ToolCall(block.path("id").asText(""), block.path("name").asText(""),
                        block.path("input").toString()));
            }
        }
        FinishReason finish = json ? FinishReason.STOP : Finish.of(Json.text(body, "stop_reason"));
        JsonNode usage = body.path("usage");
        Usage u = usage.has("input_tokens")
                ? Usage.of(usage.path("input_tokens").asInt(), usage.path("output_tokens").asInt())
                        .withCachedTokens(usage.path("cache_read_input_tokens").asInt(0)) : null;
        return new ProviderReply(text.toString(), body.path("model").asText(null), u,
                finish == null ? FinishReason.STOP : finish, calls, null,
                new Provenance(Json.text(body, "id"), null, null));
    }

    @Override
    protected ProviderException classify(int status, MultiMap headers, JsonNode body, String rawBody) {
        JsonNode error = body == null ? null : body.get("error");
        String type = error == null ? null : Json.text(error, "type");
        String message = error == null ? rawBody : Json.text(error, "message");
        FailureKind kind = FailureKind.forStatus(status);
        if ("overloaded_error".equals(type)) {
            kind = FailureKind.SERVER;
        } else if ("not_found_error".equals(type)) {
            kind = FailureKind.MODEL_NOT_FOUND;
        } else if (message != null && status == 400) {
            String lower = message.toLowerCase(Locale.ROOT);
            if (lower.contains("prompt is too long") || looksLikeContextLength(lower)) {
                kind = FailureKind.CONTEXT_LENGTH;
            } else if (HttpProviderAdapter.looksLikeContentRefusal(lower)) {
                kind = FailureKind.CONTENT_FILTER;
            }
        }
        return failure(kind, status, message, headers);
    }

    @Override
    protected StreamDecoder newDecoder(ProviderCall call) {
        return new Decoder(name(), call.model(), AnthropicWire.jsonMode(call));
    }

    /**
     * {@code message_start} (input usage) → {@code content_block_delta}s → {@code message_delta}
     * (stop reason, output usage) → {@code message_stop}; {@code ping} ignored, {@code error} fails.
     */
    static final class Decoder extends SseStreamDecoder {
        private final String provider;
        private String model;
        private int inputTokens;
        private int outputTokens;
        private int cachedTokens;
        private FinishReason finish;
        private final boolean json;
        /** Content block index to tool-call index (OpenAI numbers tool calls, not blocks). */
        private final Map<Integer, Integer> toolBlocks = new HashMap<>();
        private String messageId;

        Decoder(String provider, String model, boolean json) {
            this.provider = provider;
            this.model = model;
            this.json = json;
        }

        @Override
        protected boolean finished() {
            return finish != null;
        }

        @Override
        protected void onEvent(SseEvent event) {
            JsonNode json = Json.parseOrNull(event.data());
            if (json == null || !json.isObject()) {
                sink.malformed(event.data().length() > 120 ? event.data().substring(0, 120) + "..." : event.data());
                return;
            }
            String type = event.event() != null ? event.event() : Json.text(json, "type");
            if (type == null) {
                sink.malformed("event without a type");
                return;
            }
            switch (type) {
                case "message_start" -> {
                    JsonNode message = json.path("message");
                    if (message.hasNonNull("model")) {
                        model = message.get("model").asText();
                    }
                    inputTokens = message.path("usage").path("input_tokens").asInt(0);
                    cachedTokens = message.path("usage").path("cache_read_input_tokens").asInt(0);
                    outputTokens = message.path("usage").path("output_tokens").asInt(0);
                    messageId = Json.text(message, "id");
                }
                case "content_block_start" -> blockStart(json);
                case "content_block_delta" -> blockDelta(json);
                case "message_delta" -> {
                    finish = this.json ? FinishReason.STOP : Finish.of(Json.text(json.path("delta"), "stop_reason"));
                    if (finish == null) {
                        finish = FinishReason.STOP;
                    }
                    outputTokens = json.path("usage").path("output_tokens").asInt(outputTokens);
                }
                case "message_stop" -> {
                    sink.chunk(new ChatChunk("", model, finish == null ? FinishReason.STOP : finish,
                            Usage.of(inputTokens, outputTokens).withCachedTokens(cachedTokens)));
                    sink.end();
                }
                case "error" -> {
                    JsonNode error = json.path("error");
                    sink.fail(new ProviderException(FailureKind.STREAM_ERROR, 200, provider + ": "
                            + UpstreamText.clean(Json.text(error, "type") + " in stream: " + Json.text(error, "message")), null));
                }
                default -> {
                    // ping, content_block_stop: nothing to relay
                }
            }
        }

        private void blockStart(JsonNode event) {
            JsonNode block = event.path("content_block");
            if (!"tool_use".equals(Json.text(block, "type")) || json) {
                return;
            }
            int index = toolBlocks.size();
            toolBlocks.put(event.path("index").asInt(), index);
            emit("", List.of(new ToolCallDelta(index, Json.text(block, "id"), Json.text(block, "name"), "")));
        }

        private void blockDelta(JsonNode event) {
            JsonNode delta = event.path("delta");
            String type = Json.text(delta, "type");
            if ("text_delta".equals(type)) {
                String text = delta.path("text").asText("");
                if (!text.isEmpty()) {
                    emit(text, List.of());
                }
            } else if ("input_json_delta".equals(type)) {
                String partial = delta.path("partial_json").asText("");
                Integer tool = toolBlocks.get(event.path("index").asInt());
                if (json && !partial.isEmpty()) {
                    emit(partial, List.of()); // the JSON answer, streamed as the forced tool's input
                } else if (tool != null && !partial.isEmpty()) {
                    emit("", List.of(new ToolCallDelta(tool, null, null, partial)));
                }
            }
        }

        /** A chunk; the first carries the message id. */
        private void emit(String text, List<ToolCallDelta> calls) {
            Provenance provenance = null;
            if (messageId != null) {
                provenance = new Provenance(messageId, null, null);
                messageId = null;
            }
            sink.chunk(new ChatChunk(text, model, null, null, calls, null, provenance));
        }
    }
}
