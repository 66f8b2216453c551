package dev.levee.internal.stream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One server-sent event: the {@code event:} name ({@code null} when absent) and its joined
 * {@code data:} lines, kept as the UTF-8 bytes they arrived as: a JSON payload is parsed from them
 * directly, and decoded to a string only when asked for.
 */
public final class SseEvent {
    private final String event;
    private final byte[] data;
    private String text;

    public SseEvent(String event, byte[] data) {
        this.event = event;
        this.data = data;
    }

    public String event() {
        return event;
    }

    /** The data as UTF-8 bytes; not to be changed. */
    public byte[] dataBytes() {
        return data;
    }

    /** The data as a string (malformed UTF-8 replaced). */
    public String data() {
        if (text == null) {
            text = new String(data, StandardCharsets.UTF_8);
        }
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SseEvent e && Objects.equals(event, e.event) && Arrays.equals(data, e.data);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(event) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "SseEvent[event=" + event + ", data=" + data() + "]";
    }
}
