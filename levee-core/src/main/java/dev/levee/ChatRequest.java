package dev.levee;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request to a route: a chat completion — the conversation, the parameters levee acts on, and
 * every other parameter the caller sent, carried so that nothing is silently dropped — or, with
 * {@code embedding}, an embeddings request, which takes the same path (keys, limits, breakers,
 * retries, fallback) to targets that can embed.
 *
 * @param route the route alias ({@code model} in the OpenAI API); {@code null} means the default route
 * @param messages the conversation, at least one message
 * @param maxTokens the caller's output limit, or {@code null}
 * @param temperature sampling temperature in [0, 2], or {@code null}
 * @param topP nucleus sampling in (0, 1], or {@code null}
 * @param stop stop sequences, possibly empty
 * @param tools the functions the model may call, possibly empty
 * @param toolChoice whether and which tool must be called, or {@code null}
 * @param parallelToolCalls whether several calls may come in one turn, or {@code null}
 * @param responseFormat the answer's required shape, or {@code null} for free text
 * @param logprobs whether to return log probabilities of the output tokens, or {@code null}
 * @param topLogprobs how many alternatives per token with {@code logprobs}, or {@code null}
 * @param extra every other parameter, by its OpenAI wire name with its JSON value — hints such as
 *        {@code seed}, penalties, {@code logit_bias}, {@code reasoning_effort}, and ones levee does not
 *        know: forwarded unchanged to OpenAI-compatible targets, translated where another has an
 *        equivalent, and reported as not applied where it has none
 * @param options correlation, deadline, metadata and fault injection
 * @param embedding what to embed, or {@code null} for a chat completion (then {@code messages} is empty)
 */
public record ChatRequest(
        String route,
        List<Message> messages,
        Integer maxTokens,
        Double temperature,
        Double topP,
        List<String> stop,
        List<Tool> tools,
        ToolChoice toolChoice,
        Boolean parallelToolCalls,
        ResponseFormat responseFormat,
        Boolean logprobs,
        Integer topLogprobs,
        Map<String, JsonNode> extra,
        CallOptions options,
        EmbeddingInput embedding) {

    public ChatRequest {
        messages = List.copyOf(messages);
        stop = stop == null ? List.of() : List.copyOf(stop);
        tools = tools == null ? List.of() : List.copyOf(tools);
        extra = extra == null || extra.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
        options = options == null ? CallOptions.DEFAULTS : options;
    }

    /** The conversation with the basic parameters only. */
    public ChatRequest(String route, List<Message> messages, Integer maxTokens, Double temperature, Double topP,
                       List<String> stop, CallOptions options) {
        this(route, messages, maxTokens, temperature, topP, stop, List.of(), null, null, null, null, null, Map.of(),
                options, null);
    }

    /** An embeddings request: one vector per text, from the route's first tier that answers. */
    public static ChatRequest embeddings(String route, EmbeddingInput input) {
        return builder().route(route).embedding(Objects.requireNonNull(input, "input")).build();
    }

    /** Whether this is an embeddings request rather than a chat completion. */
    public boolean isEmbedding() {
        return embedding != null;
    }

    /** A one-message request to the default route. */
    public static ChatRequest of(String prompt) {
        return builder().user(prompt).build();
    }

    /** The text of the last user message: what rule-based replies and logs look at. */
    public String lastUserText() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == Role.USER) {
                return messages.get(i).content();
            }
        }
        return "";
    }

    /** Whether the answer must follow a contract free text cannot keep: a tool call or a JSON shape. */
    public boolean structured() {
        return !tools.isEmpty() || (responseFormat != null && responseFormat.json());
    }

    public ChatRequest withMessages(List<Message> newMessages) {
        return toBuilder().messages(newMessages).build();
    }

    /** The same request to another route alias ({@code null}: the default route). */
    public ChatRequest withRoute(String newRoute) {
        return toBuilder().route(newRoute).build();
    }

    public ChatRequest withOptions(CallOptions newOptions) {
        return toBuilder().options(newOptions).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder().route(route).maxTokens(maxTokens).temperature(temperature).topP(topP)
                .stop(stop).tools(tools).toolChoice(toolChoice).parallelToolCalls(parallelToolCalls)
                .responseFormat(responseFormat).logprobs(logprobs).topLogprobs(topLogprobs).options(options)
                .embedding(embedding);
        b.messages.addAll(messages);
        b.extra.putAll(extra);
        return b;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String route;
        private final List<Message> messages = new ArrayList<>();
        private Integer maxTokens;
        private Double temperature;
        private Double topP;
        private List<String> stop = List.of();
        private List<Tool> tools = List.of();
        private ToolChoice toolChoice;
        private Boolean parallelToolCalls;
        private ResponseFormat responseFormat;
        private Boolean logprobs;
        private Integer topLogprobs;
        private final Map<String, JsonNode> extra = new LinkedHashMap<>();
        private CallOptions options = CallOptions.DEFAULTS;
        private EmbeddingInput embedding;

        public Builder route(String route) {
            this.route = route;
            return this;
        }

        public Builder message(Message message) {
            messages.add(Objects.requireNonNull(message));
            return this;
        }

        public Builder messages(List<Message> all) {
            messages.clear();
            messages.addAll(all);
            return this;
        }

        public Builder system(String content) {
            return message(Message.system(content));
        }

        public Builder user(String content) {
            return message(Message.user(content));
        }

        public Builder assistant(String content) {
            return message(Message.assistant(content));
        }

        public Builder maxTokens(Integer maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        public Builder temperature(Double temperature) {
            this.temperature = temperature;
            return this;
        }

        public Builder topP(Double topP) {
            this.topP = topP;
            return this;
        }

        public Builder stop(List<String> stop) {
            this.stop = stop;
            return this;
        }

        public Builder tools(List<Tool> tools) {
            this.tools = tools;
            return this;
        }

        public Builder tool(Tool tool) {
            List<Tool> more = new ArrayList<>(tools);
            more.add(Objects.requireNonNull(tool));
            this.tools = more;
            return this;
        }

        public Builder toolChoice(ToolChoice toolChoice) {
            this.toolChoice = toolChoice;
            return this;
        }

        public Builder parallelToolCalls(Boolean parallelToolCalls) {
            this.parallelToolCalls = parallelToolCalls;
            return this;
        }

        public Builder responseFormat(ResponseFormat responseFormat) {
            this.responseFormat = responseFormat;
            return this;
        }

        public Builder logprobs(Boolean logprobs) {
            this.logprobs = logprobs;
            return this;
        }

        public Builder topLogprobs(Integer topLogprobs) {
            this.topLogprobs = topLogprobs;
            return this;
        }

        /** Another parameter by its OpenAI wire name, e.g. {@code seed}; {@code null} removes it. */
        public Builder extra(String name, JsonNode value) {
            if (value == null) {
                extra.remove(name);
            } else {
                extra.put(Objects.requireNonNull(name), value);
            }
            return this;
        }

        public Builder options(CallOptions options) {
            this.options = options;
            return this;
        }

        /** Makes this an embeddings request ({@code null}: a chat completion). */
        public Builder embedding(EmbeddingInput embedding) {
            this.embedding = embedding;
            return this;
        }

        public ChatRequest build() {
            return new ChatRequest(route, messages, maxTokens, temperature, topP, stop, tools, toolChoice,
                    parallelToolCalls, responseFormat, logprobs, topLogprobs, extra, options, embedding);
        }
    }
}
