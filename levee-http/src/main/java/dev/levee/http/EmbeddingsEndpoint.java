package dev.levee.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.levee.CallOptions;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.EmbeddingInput;
import dev.levee.http.ChatCompletionRequest.Invalid;
import dev.levee.spi.LiveStream;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/embeddings}: OpenAI's embeddings request and answer, through the same path as chat
 * (keys, limits, breakers, retries, fallback to the next tier that can embed). Every field OpenAI
 * defines is honoured or refused by name; {@code input} as token arrays is refused (levee embeds text).
 */
final class EmbeddingsEndpoint implements Endpoint<EmbeddingsEndpoint.Parsed> {
    private static final Set<String> FIELDS = Set.of("model", "input", "encoding_format", "dimensions", "user");

    /** The request as read: whether the caller wants base64 vectors. */
    record Parsed(ChatRequest request, boolean base64) implements Endpoint.Parsed {
        @Override
        public boolean stream() {
            return false;
        }
    }

    @Override
    public Parsed read(JsonNode body, MultiMap headers, CallOptions.Builder options) throws Invalid {
        if (body == null || !body.isObject()) {
            throw new Invalid(null, "the request body must be a JSON object");
        }
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new Invalid(GatewayServer.printable(field, 64), "unknown field '"
                        + GatewayServer.printable(field, 64) + "' (embeddings take model, input, encoding_format,"
                        + " dimensions and user)");
            }
        }
        String route = ChatCompletionRequest.optionalText(body, "model");
        List<String> texts = inputs(body.get("input"));
        Integer dimensions = null;
        JsonNode d = body.get("dimensions");
        if (d != null && !d.isNull()) {
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() < 1 || d.intValue() > 65_536) {
                throw new Invalid("dimensions", "dimensions must be a whole number in [1, 65536]");
            }
            dimensions = d.intValue();
        }
        String format = ChatCompletionRequest.optionalText(body, "encoding_format");
        if (format != null && !format.equals("float") && !format.equals("base64")) {
            throw new Invalid("encoding_format", "encoding_format must be 'float' or 'base64'");
        }
        String user = ChatCompletionRequest.optionalText(body, "user");
        if (user != null) {
            Map<String, String> metadata = new LinkedHashMap<>(options.build().metadata());
            metadata.put("user", user);
            options.metadata(metadata);
        }
        EmbeddingInput input;
        try {
            input = new EmbeddingInput(texts, dimensions);
        } catch (IllegalArgumentException e) {
            throw new Invalid("input", e.getMessage());
        }
        return new Parsed(ChatRequest.builder().route(route).embedding(input).options(options.build()).build(),
                "base64".equals(format));
    }

    private static List<String> inputs(JsonNode input) throws Invalid {
        if (input == null || input.isNull()) {
            throw new Invalid("input", "input is required: a string or an array of strings");
        }
        if (input.isTextual()) {
            return List.of(input.asText());
        }
        if (!input.isArray()) {
            throw new Invalid("input", "input must be a string or an array of strings");
        }
        List<String> texts = new ArrayList<>(input.size());
        for (JsonNode item : input) {
            if (!item.isTextual()) {
                throw new Invalid("input", "input must be a string or an array of strings; token arrays are not"
                        + " supported: send the text");
            }
            texts.add(item.asText());
        }
        return texts;
    }

    @Override
    public Buffer answer(Parsed parsed, ChatResponse answer, long created) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        for (int i = 0; i < answer.embeddings().size(); i++) {
            float[] vector = answer.embeddings().get(i);
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (parsed.base64()) {
                ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : vector) {
                    bytes.putFloat(f);
                }
                item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float f : vector) {
                    values.add(f);
                }
            }
        }
        body.put("model", answer.modelUsed());
        body.putObject("usage").put("prompt_tokens", answer.usage().promptTokens())
                .put("total_tokens", answer.usage().totalTokens());
        return Json.write(body);
    }

    @Override
    public SseFormat sse(Parsed parsed, LiveStream stream, String requestId, long created) {
        throw new IllegalStateException("embeddings are never streamed");
    }

    @Override
    public void error(HttpServerResponse response, ApiError error, String requestId) {
        Responses.error(response, error);
    }
}
