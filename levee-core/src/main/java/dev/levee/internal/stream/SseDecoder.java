package dev.levee.internal.stream;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Turns lines (without their terminators) into server-sent events: multi-line {@code data:},
 * {@code event:} names, comments and blank-line dispatch, per the WHATWG event-stream rules. Lines
 * are read as bytes ({@link LineSplitter.Lines}): an event's data is copied once, out of the read
 * it arrived in, and never decoded here.
 */
public final class SseDecoder implements LineSplitter.Lines {
    private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "event".getBytes(StandardCharsets.US_ASCII);

    private final Consumer<SseEvent> sink;
    private String event;
    private byte[] data;
    /** Only for an event of several data lines. */
    private ByteArrayOutputStream moreData;

    public SseDecoder(Consumer<SseEvent> sink) {
        this.sink = sink;
    }

    public void line(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        line(bytes, 0, bytes.length);
    }

    @Override
    public void line(byte[] bytes, int from, int to) {
        if (from == to) {
            dispatch();
            return;
        }
        if (bytes[from] == ':') {
            return; // comment, e.g. a keep-alive
        }
        int colon = -1;
        for (int i = from; i < to; i++) {
            if (bytes[i] == ':') {
                colon = i;
                break;
            }
        }
        int nameEnd = colon < 0 ? to : colon;
        int valueAt = colon < 0 ? to : colon + 1;
        if (valueAt < to && bytes[valueAt] == ' ') {
            valueAt++;
        }
        if (is(bytes, from, nameEnd, DATA)) { // by far the most common line
            if (data == null && moreData == null) {
                data = Arrays.copyOfRange(bytes, valueAt, to); // one data line per event is the rule
            } else {
                if (moreData == null) {
                    moreData = new ByteArrayOutputStream(data.length * 2 + 16);
                    moreData.write(data, 0, data.length);
                }
                moreData.write('\n');
                moreData.write(bytes, valueAt, to - valueAt);
            }
        } else if (colon >= 0 && is(bytes, from, nameEnd, EVENT)) {
            event = new String(bytes, valueAt, to - valueAt, StandardCharsets.UTF_8);
        }
        // id and retry are meaningless for a one-shot completion stream
    }

    private static boolean is(byte[] bytes, int from, int to, byte[] name) {
        return to - from == name.length && Arrays.equals(bytes, from, to, name, 0, name.length);
    }

    /** Dispatches a final event that had no trailing blank line. */
    public void finish() {
        dispatch();
    }

    private void dispatch() {
        if (data != null) {
            sink.accept(new SseEvent(event, moreData != null ? moreData.toByteArray() : data));
        }
        event = null;
        data = null;
        moreData = null;
    }
}
