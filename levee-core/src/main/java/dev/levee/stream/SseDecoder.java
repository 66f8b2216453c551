package dev.levee.stream;

import java.util.function.Consumer;

/**
 * Turns lines (without their terminators) into server-sent events: multi-line {@code data:},
 * {@code event:} names, comments and blank-line dispatch, per the WHATWG event-stream rules.
 */
public final class SseDecoder {
    private final Consumer<SseEvent> sink;
    private String event;
    private StringBuilder data;

    public SseDecoder(Consumer<SseEvent> sink) {
        this.sink = sink;
    }

    public void line(String line) {
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.charAt(0) == ':') {
            return; // comment, e.g. a keep-alive
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            case "event" -> event = value;
            default -> {
                // id and retry are meaningless for a one-shot completion stream
            }
        }
    }

    /** Dispatches a final event that had no trailing blank line. */
    public void finish() {
        dispatch();
    }

    private void dispatch() {
        if (data != null) {
            sink.accept(new SseEvent(event, data.toString()));
        }
        event = null;
        data = null;
    }
}
