package dev.levee.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Ollama's {@code /api/chat}: NDJSON by default (one object per token, then a {@code done:true} summary). */
final class OllamaDialect implements Dialect {

    private static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");

    @Override
    public String api() {
        return "ollama";
    }

    @Override
    public boolean streamByDefault() {
        return true;
    }

    @Override
    public ChatCall parse(JsonNode body) {
        BodyFields.object(body);
        String model = BodyFields.requiredText(body, "model");
        List<ChatCall.Turn> turns = BodyFields.turns(body, ROLES, false);
        boolean stream = BodyFields.optionalBoolean(body, "stream", true);
        Integer numPredict = null;
        JsonNode options = body.get("options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw new BadRequest("options: must be an object", "options");
            }
            numPredict = BodyFields.optionalInt(options, "num_predict", Integer.MIN_VALUE);
            BodyFields.optionalNumbers(options, "temperature", "top_p", "top_k", "seed");
        }
        // Ollama reads num_predict -1 (and other non-positive values) as "no limit".
        Integer cap = numPredict != null && numPredict > 0 ? numPredict : null;
        return new ChatCall(model, stream, turns, cap, false, shape(body));
    }

    /** Tools (OpenAI's shape) and {@code format}: "json" or a JSON Schema. Ollama has no tool choice. */
    private static ChatCall.Shape shape(JsonNode body) {
        List<ChatCall.ToolSpec> tools = new ArrayList<>();
        for (JsonNode t : body.path("tools")) {
            JsonNode f = t.path("function");
            if (!f.path("name").isTextual()) {
                throw new BadRequest("tools: each tool needs function.name", "tools");
            }
            tools.add(new ChatCall.ToolSpec(f.get("name").asText(), f.get("parameters")));
        }
        JsonNode format = body.path("format");
        if (!format.isMissingNode() && !format.isNull() && !format.isObject() && !"json".equals(format.asText())) {
            throw new BadRequest("format: must be \"json\" or a JSON schema object", "format");
        }
        return new ChatCall.Shape(tools, "auto", format.isObject() ? format : null, "json".equals(format.asText()),
                false);
    }

    @Override
    public SimError modelNotFound(String model) {
        return new SimError(404, SimError.Kind.MODEL_NOT_FOUND, "model \"" + model
                + "\" not found, try pulling it first", null, null);
    }

    @Override
    public Buffer errorBody(SimError error) {
        return Json.buffer(Json.object().put("error", error.message()));
    }

    @Override
    public Buffer completion(ChatCall call, Answer answer, Timing timing) {
        ObjectNode done = answer.toolCall() != null ? toolCallLine(call.model(), answer) : line(call.model(), answer.text());
        summarize(done, answer, timing);
        return Json.buffer(done);
    }

    /** Ollama's tool call: the whole call in one message, its arguments as an object, no id. */
    private static ObjectNode toolCallLine(String model, Answer answer) {
        ObjectNode line = line(model, "");
        ObjectNode function = ((ObjectNode) line.get("message")).putArray("tool_calls").addObject()
                .putObject("function").put("name", answer.toolCall().name());
        function.set("arguments", Json.parse(answer.text()));
        return line;
    }

    @Override
    public StreamFormat stream(ChatCall call, Answer answer, Timing timing) {
        return new Lines(call, answer, timing);
    }

    private static ObjectNode line(String model, String content) {
        ObjectNode line = Json.object().put("model", model).put("created_at", Instant.now().toString());
        line.set("message", Json.object().put("role", "assistant").put("content", content));
        return line;
    }

    /** The {@code done:true} fields; durations are nanoseconds, split at the time to first token. */
    private static void summarize(ObjectNode line, Answer answer, Timing timing) {
        long total = timing.elapsedNanos();
        long promptEval = Math.min(total, timing.timeToFirstToken().toNanos());
        line.put("done", true)
                .put("done_reason", answer.truncated() ? "length" : "stop")
                .put("total_duration", total)
                .put("load_duration", 0L)
                .put("prompt_eval_count", answer.promptTokens())
                .put("prompt_eval_duration", promptEval)
                .put("eval_count", answer.completionTokens())
                .put("eval_duration", total - promptEval);
    }

    private record Lines(ChatCall call, Answer answer, Timing timing) implements StreamFormat {

        @Override
        public String contentType() {
            return "application/x-ndjson";
        }

        @Override
        public String open() {
            return answer.toolCall() == null ? "" : Json.write(toolCallLine(call.model(), answer).put("done", false)) + "\n";
        }

        @Override
        public String piece(String text) {
            if (answer.toolCall() != null) {
                return ""; // the call went whole in the first line, as Ollama sends it
            }
            return Json.write(line(call.model(), text).put("done", false)) + "\n";
        }

        @Override
        public String malformed() {
            return "{\"model\":\"" + call.model() + "\",\"message\":{\"role\":\"assistant\",\"content\":\n";
        }

        @Override
        public String finish(boolean terminator) {
            if (!terminator) {
                return "";
            }
            ObjectNode done = line(call.model(), "");
            summarize(done, answer, timing);
            return Json.write(done) + "\n";
        }

        @Override
        public String error() {
            return Json.write(Json.object().put("error", "an error was encountered while running the model (simulated)"))
                    + "\n";
        }
    }
}
