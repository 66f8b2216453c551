package dev.levee;

import java.util.Objects;

/**
 * A function call the model asked for.
 *
 * @param id the provider's id for the call, echoed by the {@code tool} message that answers it
 * @param name the function's name
 * @param arguments the arguments as the model wrote them: a JSON object as text, passed on unchanged
 */
public record ToolCall(String id, String name, String arguments) {
    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        arguments = arguments == null ? "" : arguments;
    }
}
