package dev.levee.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.levee.simulator.ReceivedRequest.Outcome;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Embeddings in OpenAI's ({@code POST /v1/embeddings}) and Ollama's ({@code POST /api/embed}) wire
 * formats (Anthropic has no embeddings API). A vector is a function of the model and the text: the
 * same input always embeds the same, different inputs differently, each of unit length, with the
 * model's dimensions (or the request's {@code dimensions}). Faults that fail a request up front
 * (status, reset, hang, rejections) and latency apply as to chat.
 */
final class EmbeddingsEndpoint {
    /** Native dimensions of well-known embedding models; others get {@value #DEFAULT_DIMENSIONS}. */
    static final Map<String, Integer> DIMENSIONS = Map.of("text-embedding-3-small", 1536,
            "text-embedding-3-large", 3072, "text-embedding-ada-002", 1536, "nomic-embed-text", 768,
            "mxbai-embed-large", 1024, "all-minilm", 384, "bge-m3", 1024, "snowflake-arctic-embed", 1024);
    static final int DEFAULT_DIMENSIONS = 768;
    private static final int MAX_INPUTS = 2048;
    private static final int MAX_DIMENSIONS = 8192;

    private final Vertx vertx;
    private final SimulatorConfig config;
    private final FaultRules faults;
    /** Journaling, fault headers, latency and up-front faults work as for chat. */
    private final ChatEndpoint chat;

    EmbeddingsEndpoint(Vertx vertx, SimulatorConfig config, FaultRules faults, ChatEndpoint chat) {
        this.vertx = vertx;
        this.config = config;
        this.faults = faults;
        this.chat = chat;
    }

    /** What one request asks for, in either wire format. */
    private record Call(String model, List<String> inputs, int dimensions, boolean base64) {
    }

    void handle(HttpServerRequest request, Dialect dialect, boolean ollama) {
        chat.intake(request, dialect, (raw, receivedAt, receivedNanos) -> onBody(request, dialect, ollama, raw,
                receivedAt));
    }

    private void onBody(HttpServerRequest request, Dialect dialect, boolean ollama, Buffer raw, Instant receivedAt) {
        JsonNode body = ChatEndpoint.parseOrNull(raw);
        Exchange exchange = chat.open(request, dialect, receivedAt, body == null ? NullNode.getInstance() : body,
                raw.length());
        Call call;
        FaultSpec headerSpec;
        try {
            if (body == null || !body.isObject()) {
                throw new BadRequest("We could not parse the JSON body of your request.", null);
            }
            call = parse(body, ollama);
            headerSpec = chat.headerFault(request);
        } catch (BadRequest e) {
            exchange.sendError(e.toError(), dialect, Outcome.REJECTED);
            return;
        }
        if (!config.serves(call.model())) {
            exchange.sendError(dialect.modelNotFound(call.model()), dialect, Outcome.REJECTED);
            return;
        }
        FaultSpec fault = faults.activate(call.model(), headerSpec).orElse(null);
        if (fault != null && fault.failsUpFront()) {
            ChatEndpoint.failUpFront(exchange, dialect, call.model(), promptTokens(call.inputs()), fault);
            return;
        }
        Duration delay = chat.latency(call.model(), fault).timeToFirstToken();
        // Large batches are hashed and counted off the event loop.
        vertx.executeBlocking(() -> answer(call, ollama), false).onComplete(done -> exchange.schedule(delay, () -> {
            if (done.failed()) {
                exchange.sendError(SimError.generationFailed(), dialect, Outcome.FAULTED);
                return;
            }
            exchange.end(Outcome.COMPLETED);
            exchange.response().putHeader("content-type", "application/json").end(Json.buffer(done.result()));
        }));
    }

    private static Call parse(JsonNode body, boolean ollama) {
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isEmpty()) {
            throw new BadRequest("you must provide a model parameter", "model");
        }
        JsonNode input = body.get("input");
        List<String> inputs = new ArrayList<>();
        if (input != null && input.isTextual()) {
            inputs.add(input.asText());
        } else if (input != null && input.isArray()) {
            for (JsonNode item : input) {
                if (!item.isTextual()) {
                    throw new BadRequest("input must be a string or an array of strings (this simulator takes no"
                            + " token arrays)", "input");
                }
                inputs.add(item.asText());
            }
        } else {
            throw new BadRequest("input must be a string or an array of strings", "input");
        }
        if (inputs.isEmpty() || inputs.size() > MAX_INPUTS) {
            throw new BadRequest("input must hold 1 to " + MAX_INPUTS + " strings", "input");
        }
        if (!ollama && inputs.stream().anyMatch(String::isEmpty)) {
            throw new BadRequest("input cannot be an empty string", "input");
        }
        String name = model.asText();
        int dimensions = DIMENSIONS.getOrDefault(name.toLowerCase(Locale.ROOT).replaceFirst(":.*$", ""),
                DEFAULT_DIMENSIONS);
        JsonNode asked = body.get("dimensions");
        if (asked != null && !asked.isNull()) {
            if (!asked.canConvertToInt() || !asked.isIntegralNumber() || asked.asInt() < 1
                    || asked.asInt() > MAX_DIMENSIONS) {
                throw new BadRequest("dimensions must be a whole number in [1, " + MAX_DIMENSIONS + "]",
                        "dimensions");
            }
            dimensions = asked.asInt();
        }
        boolean base64 = false;
        JsonNode format = body.get("encoding_format");
        if (!ollama && format != null && !format.isNull()) {
            if (!format.isTextual() || !(format.asText().equals("float") || format.asText().equals("base64"))) {
                throw new BadRequest("encoding_format must be 'float' or 'base64'", "encoding_format");
            }
            base64 = format.asText().equals("base64");
        }
        return new Call(name, inputs, dimensions, base64);
    }

    private static ObjectNode answer(Call call, boolean ollama) {
        int tokens = promptTokens(call.inputs());
        if (ollama) {
            ObjectNode root = Json.object().put("model", call.model());
            ArrayNode embeddings = root.putArray("embeddings");
            for (String text : call.inputs()) {
                ArrayNode vector = embeddings.addArray();
                for (float v : vector(call.model(), text, call.dimensions())) {
                    vector.add(v);
                }
            }
            return root.put("total_duration", 0).put("load_duration", 0).put("prompt_eval_count", tokens);
        }
        ObjectNode root = Json.object().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < call.inputs().size(); i++) {
            float[] v = vector(call.model(), call.inputs().get(i), call.dimensions());
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (call.base64()) {
                ByteBuffer bytes = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : v) {
                    bytes.putFloat(f);
                }
                item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode vector = item.putArray("embedding");
                for (float f : v) {
                    vector.add(f);
                }
            }
        }
        root.put("model", call.model());
        root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return root;
    }

    private static int promptTokens(List<String> inputs) {
        int tokens = 0;
        for (String text : inputs) {
            tokens += Tokens.count(text);
        }
        return tokens;
    }

    /** A unit vector that depends only on the model and the text. */
    static float[] vector(String model, String text, int dimensions) {
        byte[] key = (model + '\n' + text).getBytes(StandardCharsets.UTF_8);
        long seed = 0xcbf29ce484222325L; // FNV-1a over the bytes
        for (byte b : key) {
            seed = (seed ^ (b & 0xff)) * 0x100000001b3L;
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[dimensions];
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            double x = random.nextDouble() * 2 - 1;
            v[i] = (float) x;
            norm += x * x;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimensions; i++) {
            v[i] *= scale;
        }
        return v;
    }
}
