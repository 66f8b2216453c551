package dev.levee.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The WHATWG event-stream rules levee's stream decoders rely on. */
class SseDecoderTest {
    private final List<SseEvent> events = new ArrayList<>();
    private final SseDecoder decoder = new SseDecoder(events::add);

    @Test
    void oneDataLinePerEventIsTheCommonCase() {
        lines("data: {\"a\":1}", "", "data:{\"b\":2}", "");
        assertThat(events).containsExactly(event(null, "{\"a\":1}"), event(null, "{\"b\":2}"));
    }

    @Test
    void severalDataLinesJoinWithNewlinesAndOnlyOneLeadingSpaceIsDropped() {
        lines("data: one", "data:  two", "data", "data: three", "");
        assertThat(events).containsExactly(event(null, "one\n two\n\nthree"));
    }

    @Test
    void eventNamesCommentsAndUnknownFields() {
        lines(": keep-alive", "event: message_delta", "id: 7", "retry: 10", "data: x", "", "", "data: y");
        decoder.finish();
        assertThat(events).containsExactly(event("message_delta", "x"), event(null, "y"));
    }

    @Test
    void aFieldNamedLikeDataButLongerIsNotData() {
        lines("database: nope", "events: nope", "");
        assertThat(events).isEmpty();
    }

    private void lines(String... lines) {
        for (String line : lines) {
            decoder.line(line);
        }
    }

    private static SseEvent event(String name, String data) {
        return new SseEvent(name, data.getBytes(StandardCharsets.UTF_8));
    }
}
