package dev.levee.internal.stream;

/** One server-sent event: the {@code event:} name ({@code null} when absent) and its joined {@code data:} lines. */
public record SseEvent(String event, String data) {
}
