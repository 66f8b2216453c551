package dev.levee.http;

import static dev.levee.http.ChatCompletionRequest.bool;
import static dev.levee.http.ChatCompletionRequest.number;
import static dev.levee.http.ChatCompletionRequest.positiveInt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.CallOptions;
import dev.levee.ChatRequest;
import dev.levee.Tool;
import dev.levee.http.ChatCompletionRequest.Invalid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An Anthropic Messages API request body, read and checked field by field so every mistake is a 400
 * naming the field, and translated into levee's request.
 *
 * <p>What is not translated is never dropped in silence: {@code top_k} travels in the request's
 * {@code extra} like any field levee does not act on (forwarded to OpenAI-compatible targets,
 * translated for Anthropic and Ollama ones); {@code thinking}, {@code service_tier}, {@code
 * context_management} and {@code cache_control} are hints no target gets from levee (their values
 * are Anthropic's own), named in {@code X-Levee-Not-Applied}; Anthropic's server-side tools ({@code
 * mcp_servers}, {@code container}) and fields Anthropic does not define are a 400.
 *
 * @param notApplied the hints accepted here but carried to no target
 */
record MessagesRequest(ChatRequest request, boolean stream, List<String> notApplied) implements Endpoint.Parsed {
    static final int MAX_USER_ID = 256;

    /** Fields translated into levee's request. */
    private static final Set<String> READ = Set.of("model", "messages", "system", "max_tokens", "temperature",
            "top_p", "top_k", "stop_sequences", "tools", "tool_choice", "metadata", "stream");
    /** Hints with no equivalent levee carries: accepted, and named as not applied. */
    private static final Set<String> HINTS = Set.of("thinking", "service_tier", "context_management");
    /** Anthropic's server-side tools, which levee cannot provide in front of another provider. */
    private static final Set<String> REFUSED = Set.of("container", "mcp_servers");

    static MessagesRequest from(JsonNode body, CallOptions.Builder options) throws Invalid {
        if (body == null || !body.isObject()) {
            throw new Invalid(null, "the request body must be a JSON object");
        }
        Set<String> notApplied = new LinkedHashSet<>();
        fields(body, notApplied);
        ChatRequest.Builder b = ChatRequest.builder();
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isEmpty()) {
            throw new Invalid("model", "model: a string naming a levee route is required");
        }
        b.route(model.asText());
        Integer maxTokens = positiveInt(body, "max_tokens");
        if (maxTokens == null) {
            throw new Invalid("max_tokens", "max_tokens: Field required");
        }
        b.maxTokens(maxTokens);
        b.messages(MessagesContent.read(body.get("system"), body.get("messages"), notApplied));
        b.temperature(number(body, "temperature", 0, 1, true));
        b.topP(number(body, "top_p", 0, 1, true));
        JsonNode topK = body.get("top_k");
        if (topK != null && !topK.isNull()) {
            if (!topK.isIntegralNumber() || !topK.canConvertToInt() || topK.asInt() < 0) {
                throw new Invalid("top_k", "top_k must be an integer >= 0");
            }
            b.extra("top_k", topK);
        }
        b.stop(stopSequences(body.get("stop_sequences")));
        List<Tool> tools = MessagesTools.tools(body.get("tools"), notApplied);
        b.tools(tools);
        MessagesTools.toolChoice(body.get("tool_choice"), tools, b);
        options.metadata(metadata(body.get("metadata"), options.build().metadata()));
        b.options(options.build());
        return new MessagesRequest(b.build(), bool(body, "stream"), List.copyOf(notApplied));
    }

    /** Every field is one Anthropic defines and levee reads, notes or refuses; any other is a 400, as Anthropic's own. */
    private static void fields(JsonNode body, Set<String> notApplied) throws Invalid {
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            String name = e.getKey();
            if (READ.contains(name) || e.getValue().isNull()) {
                continue;
            }
            if (HINTS.contains(name)) {
                notApplied.add(name);
            } else if (REFUSED.contains(name)) {
                throw new Invalid(name, name + ": not supported by levee, which routes to providers that lack it");
            } else {
                throw new Invalid(Text.abbreviate(name), Text.abbreviate(name) + ": Extra inputs are not permitted");
            }
        }
    }

    private static List<String> stopSequences(JsonNode stop) throws Invalid {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (!stop.isArray()) {
            throw new Invalid("stop_sequences", "stop_sequences must be an array of strings");
        }
        List<String> out = new ArrayList<>(stop.size());
        for (JsonNode s : stop) {
            if (!s.isTextual() || s.asText().isEmpty()) {
                throw new Invalid("stop_sequences", "stop_sequences must be an array of non-empty strings");
            }
            out.add(s.asText());
        }
        return out;
    }

    /** Anthropic's {@code metadata.user_id}, as the caller's {@code user} for telemetry; header metadata stays. */
    private static Map<String, String> metadata(JsonNode metadata, Map<String, String> fromHeaders) throws Invalid {
        Map<String, String> out = new LinkedHashMap<>(fromHeaders);
        if (metadata == null || metadata.isNull()) {
            return out;
        }
        if (!metadata.isObject()) {
            throw new Invalid("metadata", "metadata must be an object");
        }
        for (Map.Entry<String, JsonNode> e : metadata.properties()) {
            if (!e.getKey().equals("user_id")) {
                throw new Invalid("metadata." + Text.abbreviate(e.getKey()),
                        "metadata." + Text.abbreviate(e.getKey()) + ": Extra inputs are not permitted");
            }
        }
        String user = Text.optional(metadata, "user_id", "metadata.user_id");
        if (user != null && user.length() > MAX_USER_ID) {
            throw new Invalid("metadata.user_id", "metadata.user_id may be at most " + MAX_USER_ID + " characters");
        }
        if (user != null && !user.isEmpty()) {
            out.put("user", user);
        }
        return out;
    }
}
