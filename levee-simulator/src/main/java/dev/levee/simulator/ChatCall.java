package dev.levee.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A chat request reduced to what the simulator acts on, the same for every wire format.
 *
 * @param messages     the conversation, system prompt first when there is one
 * @param maxTokens    completion token cap, or {@code null} for none
 * @param includeUsage OpenAI's {@code stream_options.include_usage}
 * @param shape        what the answer must look like: a tool call, JSON, with log probabilities
 */
record ChatCall(String model, boolean stream, List<Turn> messages, Integer maxTokens, boolean includeUsage,
                Shape shape) {

    record Turn(String role, String text) {
    }

    /** A function the caller offers: its name and its parameters' JSON Schema (or {@code null}). */
    record ToolSpec(String name, JsonNode parameters) {
    }

    /**
     * @param tools      the functions offered
     * @param toolChoice {@code auto}, {@code none}, {@code required}, or the name of the function to call
     * @param schema     a JSON Schema the answer must match, or {@code null}
     * @param jsonObject whether the answer must be a JSON object
     * @param logprobs   whether log probabilities are asked for
     */
    record Shape(List<ToolSpec> tools, String toolChoice, JsonNode schema, boolean jsonObject, boolean logprobs) {
        static final Shape TEXT = new Shape(List.of(), "auto", null, false, false);

        Shape {
            tools = List.copyOf(tools);
        }
    }

    ChatCall {
        messages = List.copyOf(messages);
        shape = shape == null ? Shape.TEXT : shape;
    }

    ChatCall(String model, boolean stream, List<Turn> messages, Integer maxTokens, boolean includeUsage) {
        this(model, stream, messages, maxTokens, includeUsage, Shape.TEXT);
    }

    /** The tool the answer calls, or {@code null} when it answers in text. */
    ToolSpec toolToCall() {
        if (shape.tools().isEmpty() || "none".equals(shape.toolChoice()) || messages.isEmpty()
                || !messages.get(messages.size() - 1).role().equals("user")) {
            return null;
        }
        for (ToolSpec t : shape.tools()) {
            if (t.name().equals(shape.toolChoice())) {
                return t;
            }
        }
        return shape.tools().get(0);
    }

    /** How a gateway asks a model without prefill to continue a cut answer (levee's wording). */
    static final String CONTINUE_MARKER = "Your previous answer was cut off.";

    /**
     * When the conversation ends with an instruction to continue an assistant turn: that partial
     * answer, else {@code null}.
     */
    String instructedContinuation() {
        int n = messages.size();
        if (n < 2) {
            return null;
        }
        Turn last = messages.get(n - 1);
        Turn before = messages.get(n - 2);
        return last.role().equals("user") && last.text().startsWith(CONTINUE_MARKER)
                && before.role().equals("assistant") ? before.text() : null;
    }

    /** The user turn an instructed continuation continues the answer to. */
    String userTextBeforeContinuation() {
        for (int i = messages.size() - 3; i >= 0; i--) {
            if (messages.get(i).role().equals("user")) {
                return messages.get(i).text();
            }
        }
        return "";
    }

    /** The result of the last tool call when the conversation ends with one, else {@code null}. */
    String toolResult() {
        if (messages.isEmpty()) {
            return null;
        }
        Turn last = messages.get(messages.size() - 1);
        return last.role().equals("tool") ? last.text() : null;
    }

    List<String> texts() {
        return messages.stream().map(Turn::text).toList();
    }

    String lastUserText() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role().equals("user")) {
                return messages.get(i).text();
            }
        }
        return "";
    }

    /** The same call, answered in the name of {@code other}. */
    ChatCall withModel(String other) {
        return new ChatCall(other, stream, messages, maxTokens, includeUsage, shape);
    }

    /** The partial answer to continue when the conversation ends with an assistant turn, else {@code null}. */
    String prefill() {
        if (messages.isEmpty()) {
            return null;
        }
        Turn last = messages.get(messages.size() - 1);
        return last.role().equals("assistant") ? last.text() : null;
    }

    int textLength() {
        return messages.stream().mapToInt(t -> t.text().length()).sum();
    }
}
