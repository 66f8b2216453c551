package dev.levee.simulator;

import java.util.List;

/**
 * A chat request reduced to what the simulator acts on, the same for every wire format.
 *
 * @param messages     the conversation, system prompt first when there is one
 * @param maxTokens    completion token cap, or {@code null} for none
 * @param includeUsage OpenAI's {@code stream_options.include_usage}
 */
record ChatCall(String model, boolean stream, List<Turn> messages, Integer maxTokens, boolean includeUsage) {

    record Turn(String role, String text) {
    }

    ChatCall {
        messages = List.copyOf(messages);
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
