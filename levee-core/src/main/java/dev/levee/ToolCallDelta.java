package dev.levee;

/**
 * A piece of a streamed tool call. The first piece of a call carries its {@code id} and {@code name};
 * later pieces of the same {@code index} carry more of its arguments.
 */
public record ToolCallDelta(int index, String id, String name, String arguments) {
    public ToolCallDelta {
        arguments = arguments == null ? "" : arguments;
    }
}
