package dev.levee.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.CallOptions;
import dev.levee.ChatRequest;
import dev.levee.Tool;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An OpenAI Chat Completions request body, read and checked field by field so every mistake is a
 * 400 that names the parameter. Nothing is dropped: fields levee does not act on (a seed, penalties,
 * fields it does not know) are checked where OpenAI documents a range and carried in the request's
 * {@code extra}, so an OpenAI-compatible target gets them unchanged and any other says which it
 * could not apply.
 */
record ChatCompletionRequest(ChatRequest request, boolean stream, boolean includeUsage) implements Endpoint.Parsed {
    static final int MAX_METADATA = 16;

    /** A body that cannot be served: the error to return. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        final transient ApiError error;

        Invalid(String param, String message) {
            super(message, null, false, false);
            this.error = ApiError.invalid(param, message);
        }
    }

    static ChatCompletionRequest from(JsonNode body, CallOptions.Builder options) throws Invalid {
        if (body == null || !body.isObject()) {
            throw new Invalid(null, "the request body must be a JSON object");
        }
        ChatRequest.Builder b = ChatRequest.builder();
        b.route(optionalText(body, "model"));
        b.messages(WireMessages.read(body.get("messages")));
        Integer maxTokens = positiveInt(body, "max_completion_tokens");
        b.maxTokens(maxTokens != null ? maxTokens : positiveInt(body, "max_tokens"));
        b.temperature(number(body, "temperature", 0, 2, true));
        b.topP(number(body, "top_p", 0, 1, false));
        b.stop(stop(body.get("stop")));
        List<Tool> tools = WireTools.tools(body.get("tools"));
        b.tools(tools);
        b.toolChoice(WireTools.toolChoice(body.get("tool_choice"), tools));
        b.parallelToolCalls(optionalBool(body, "parallel_tool_calls"));
        b.responseFormat(WireTools.responseFormat(body.get("response_format")));
        Boolean logprobs = optionalBool(body, "logprobs");
        b.logprobs(logprobs);
        Integer topLogprobs = intInRange(body, "top_logprobs", 0, 20);
        if (topLogprobs != null && !Boolean.TRUE.equals(logprobs)) {
            throw new Invalid("top_logprobs", "top_logprobs needs logprobs: true");
        }
        b.topLogprobs(topLogprobs);
        JsonNode n = body.get("n");
        if (n != null && !n.isNull() && (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() != 1)) {
            throw new Invalid("n", "n must be 1: levee returns one choice");
        }
        for (String deprecated : List.of("functions", "function_call")) {
            if (body.hasNonNull(deprecated)) {
                throw new Invalid(deprecated, deprecated + " is deprecated and not supported: use tools and tool_choice");
            }
        }
        boolean stream = bool(body, "stream");
        boolean includeUsage = false;
        JsonNode streamOptions = body.get("stream_options");
        if (streamOptions != null && !streamOptions.isNull()) {
            if (!streamOptions.isObject()) {
                throw new Invalid("stream_options", "stream_options must be an object");
            }
            if (!stream) {
                throw new Invalid("stream_options", "stream_options is only allowed when stream is true");
            }
            includeUsage = bool(streamOptions, "include_usage");
        }
        hints(body, b);
        Map<String, String> merged = new LinkedHashMap<>(options.build().metadata());
        merged.putAll(metadata(body));
        options.metadata(merged);
        b.options(options.build());
        return new ChatCompletionRequest(b.build(), stream, includeUsage);
    }

    /** Fields read above, by levee; every other one travels in {@code extra}. */
    private static final Set<String> READ = Set.of("model", "messages", "max_tokens", "temperature", "top_p", "stop",
            "tools", "tool_choice", "parallel_tool_calls", "response_format", "logprobs", "top_logprobs", "n",
            "stream", "stream_options");

    /**
     * Every other field, checked where OpenAI documents a range and carried unchanged: forwarded to
     * OpenAI-compatible targets, translated or reported as not applied for the others.
     */
    private static void hints(JsonNode body, ChatRequest.Builder b) throws Invalid {
        number(body, "presence_penalty", -2, 2, true);
        number(body, "frequency_penalty", -2, 2, true);
        JsonNode seed = body.get("seed");
        if (seed != null && !seed.isNull() && (!seed.isIntegralNumber() || !seed.canConvertToLong())) {
            throw new Invalid("seed", "seed must be an integer");
        }
        JsonNode bias = body.get("logit_bias");
        if (bias != null && !bias.isNull()) {
            if (!bias.isObject()) {
                throw new Invalid("logit_bias", "logit_bias must be an object of token ids to numbers in [-100, 100]");
            }
            for (Map.Entry<String, JsonNode> e : bias.properties()) {
                if (!e.getValue().isNumber() || Math.abs(e.getValue().asDouble()) > 100) {
                    throw new Invalid("logit_bias", "logit_bias values must be numbers in [-100, 100]");
                }
            }
        }
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            if (!READ.contains(e.getKey()) && !e.getValue().isNull()) {
                b.extra(e.getKey(), e.getValue());
            }
        }
    }

    private static List<String> stop(JsonNode stop) throws Invalid {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isTextual()) {
            return List.of(stop.asText());
        }
        if (!stop.isArray() || stop.size() > 4) {
            throw new Invalid("stop", "stop must be a string or an array of at most 4 strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode s : stop) {
            if (!s.isTextual()) {
                throw new Invalid("stop", "stop must be a string or an array of at most 4 strings");
            }
            out.add(s.asText());
        }
        return out;
    }

    /** OpenAI's {@code metadata} (string values) and {@code user}, for telemetry. */
    private static Map<String, String> metadata(JsonNode body) throws Invalid {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode metadata = body.get("metadata");
        if (metadata != null && !metadata.isNull()) {
            if (!metadata.isObject() || metadata.size() > MAX_METADATA) {
                throw new Invalid("metadata", "metadata must be an object of at most " + MAX_METADATA + " strings");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = metadata.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().isTextual() || e.getKey().length() > 64 || e.getValue().asText().length() > 512) {
                    throw new Invalid("metadata." + abbreviate(e.getKey()),
                            "metadata values must be strings (keys up to 64, values up to 512 characters)");
                }
                out.put(e.getKey(), e.getValue().asText());
            }
        }
        String user = optionalText(body, "user");
        if (user != null) {
            out.put("user", user);
        }
        return out;
    }

    static String optionalText(JsonNode body, String field) throws Invalid {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new Invalid(field, field + " must be a string");
        }
        return v.asText();
    }

    static Integer positiveInt(JsonNode body, String field) throws Invalid {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1) {
            throw new Invalid(field, field + " must be an integer >= 1");
        }
        return v.asInt();
    }

    static Double number(JsonNode body, String field, double min, double max, boolean minInclusive)
            throws Invalid {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        double d = v.asDouble();
        if (!v.isNumber() || d > max || d < min || (!minInclusive && d == min)) {
            throw new Invalid(field, field + " must be a number " + (minInclusive ? ">= " : "> ") + trim(min)
                    + " and <= " + trim(max));
        }
        return d;
    }

    static Boolean optionalBool(JsonNode body, String field) throws Invalid {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw new Invalid(field, field + " must be a boolean");
        }
        return v.asBoolean();
    }

    static Integer intInRange(JsonNode body, String field, int min, int max) throws Invalid {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
            throw new Invalid(field, field + " must be an integer from " + min + " to " + max);
        }
        return v.asInt();
    }

    static boolean bool(JsonNode body, String field) throws Invalid {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new Invalid(field, field + " must be a boolean");
        }
        return v.asBoolean();
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
