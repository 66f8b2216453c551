package dev.levee.internal.stream;

import java.util.function.Consumer;

/**
 * Turns lines (without their terminators) into server-sent events: multi-line {@code data:},
 * {@code event:} names, comments and blank-line dispatch, per the WHATWG event-stream rules.
 */
public final class SseDecoder {
    private final Consumer<SseEvent> sink;
    private String event;
    private String data;
    /** Only for an event of several data lines. */
    private StringBuilder moreData;

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
        int valueAt = colon < 0 ? line.length() : colon + 1;
        if (valueAt < line.length() && line.charAt(valueAt) == ' ') {
            valueAt++;
        }
        if (colon == 4 && line.startsWith("data")) { // by far the most common line: no substring for the name
            String value = line.substring(valueAt);
            if (data == null && moreData == null) {
                data = value; // one data line per event is the rule: no builder
            } else {
                if (moreData == null) {
                    moreData = new StringBuilder(data);
                }
                moreData.append('\n').append(value);
            }
        } else if (colon == 5 && line.startsWith("event")) {
            event = line.substring(valueAt);
        } else if (colon < 0 && line.equals("data")) {
            line("data:"); // a field with no colon has an empty value
        }
        // id and retry are meaningless for a one-shot completion stream
    }

    /** Dispatches a final event that had no trailing blank line. */
    public void finish() {
        dispatch();
    }

    private void dispatch() {
        if (data != null) {
            sink.accept(new SseEvent(event, moreData != null ? moreData.toString() : data));
        }
        event = null;
        data = null;
        moreData = null;
    }
}
