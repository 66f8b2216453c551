package dev.levee;

import java.util.List;
import java.util.Objects;

/**
 * A chat completion request to a route.
 *
 * @param route the route alias ({@code model} in the OpenAI API); {@code null} means the default route
 * @param messages the conversation, at least one message
 * @param maxTokens the caller's output limit, or {@code null}
 * @param temperature sampling temperature in [0, 2], or {@code null}
 * @param topP nucleus sampling in (0, 1], or {@code null}
 * @param stop stop sequences, possibly empty
 * @param options correlation, deadline, metadata and fault injection
 */
public record ChatRequest(
        String route,
        List<Message> messages,
        Integer maxTokens,
        Double temperature,
        Double topP,
        List<String> stop,
        CallOptions options) {

    public ChatRequest {
        messages = List.copyOf(messages);
        stop = stop == null ? List.of() : List.copyOf(stop);
        options = options == null ? CallOptions.DEFAULTS : options;
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

    public ChatRequest withMessages(List<Message> newMessages) {
        return new ChatRequest(route, newMessages, maxTokens, temperature, topP, stop, options);
    }

    /** The same request to another route alias ({@code null}: the default route). */
    public ChatRequest withRoute(String newRoute) {
        return new ChatRequest(newRoute, messages, maxTokens, temperature, topP, stop, options);
    }

    public ChatRequest withOptions(CallOptions newOptions) {
        return new ChatRequest(route, messages, maxTokens, temperature, topP, stop, newOptions);
    }

    public Builder toBuilder() {
        Builder b = new Builder().route(route).maxTokens(maxTokens).temperature(temperature).topP(topP)
                .stop(stop).options(options);
        b.messages.addAll(messages);
        return b;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String route;
        private final java.util.ArrayList<Message> messages = new java.util.ArrayList<>();
        private Integer maxTokens;
        private Double temperature;
        private Double topP;
        private List<String> stop = List.of();
        private CallOptions options = CallOptions.DEFAULTS;

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

        public Builder options(CallOptions options) {
            this.options = options;
            return this;
        }

        public ChatRequest build() {
            return new ChatRequest(route, messages, maxTokens, temperature, topP, stop, options);
        }
    }
}
