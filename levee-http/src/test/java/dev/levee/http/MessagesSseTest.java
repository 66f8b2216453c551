package dev.levee.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.ChatChunk;
import dev.levee.ChatResponse;
import dev.levee.FinishReason;
import dev.levee.LeveeException;
import dev.levee.ToolCallDelta;
import dev.levee.Usage;
import dev.levee.http.MessagesFixture.Event;
import dev.levee.spi.LiveStream;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The block structure of Anthropic's stream for answers that mix text and several tool calls. */
class MessagesSseTest {
    /** A committed stream that only says who answered. */
    private static final LiveStream ANSWERING = new LiveStream() {
        public String model() {
            return "m";
        }

        public int fallbackLevel() {
            return 0;
        }

        public LiveStream handler(Handler<ChatChunk> handler) {
            return this;
        }

        public LiveStream endHandler(Handler<ChatResponse> handler) {
            return this;
        }

        public LiveStream exceptionHandler(Handler<LeveeException> handler) {
            return this;
        }

        public LiveStream pause() {
            return this;
        }

        public LiveStream resume() {
            return this;
        }

        public void cancel() {
        }
    };

    private static ChatChunk calls(ToolCallDelta... deltas) {
        return new ChatChunk("", "m", null, null, List.of(deltas), null, null);
    }

    @Test
    void textThenTwoToolCallsAreThreeBlocksInOrder() throws Exception {
        MessagesSse sse = new MessagesSse(ANSWERING, "r1");
        Buffer out = Buffer.buffer();
        sse.open(out);
        sse.chunk(ChatChunk.text("Let me ", "m"), out);
        sse.chunk(ChatChunk.text("look.", "m"), out);
        sse.chunk(calls(new ToolCallDelta(0, "call_1", "f", "{\"a\""), new ToolCallDelta(0, null, null, ":1}")), out);
        sse.chunk(calls(new ToolCallDelta(1, "call_2", "g", "")), out);
        sse.chunk(calls(new ToolCallDelta(1, null, null, "{}")), out);
        sse.close(new ChatResponse("Let me look.", "m", "p", "default", Usage.of(5, 9), FinishReason.TOOL_CALLS, 1, 0,
                "r1", Instant.EPOCH, List.of()), out);

        List<Event> events = MessagesFixture.events(out.toString(StandardCharsets.UTF_8));
        assertThat(events).extracting(e -> e.name() + ":" + e.data().path("index").asText(""))
                .containsExactly("message_start:", "content_block_start:0", "content_block_delta:0",
                        "content_block_delta:0", "content_block_stop:0", "content_block_start:1", "content_block_delta:1",
                        "content_block_delta:1", "content_block_stop:1", "content_block_start:2", "content_block_delta:2",
                        "content_block_stop:2", "message_delta:", "message_stop:");
        assertThat(MessagesFixture.text(events)).isEqualTo("Let me look.");
        assertThat(events.get(5).data().path("content_block").path("id").asText()).isEqualTo("call_1");
        assertThat(events.get(9).data().path("content_block").path("name").asText()).isEqualTo("g");
        assertThat(events.get(6).data().path("delta").path("partial_json").asText()
                + events.get(7).data().path("delta").path("partial_json").asText()).isEqualTo("{\"a\":1}");
        assertThat(events.get(12).data().path("delta").path("stop_reason").asText()).isEqualTo("tool_use");
        assertThat(events.get(12).data().path("usage").path("output_tokens").asInt()).isEqualTo(9);
    }

    @Test
    void aFailureIsAnErrorEventInAnthropicsShape() throws Exception {
        Buffer out = Buffer.buffer();
        new MessagesSse(ANSWERING, "r2").error(new LeveeException(LeveeException.Kind.UNAVAILABLE, "upstream reset", "r2"),
                out);

        Event error = MessagesFixture.events(out.toString(StandardCharsets.UTF_8)).get(0);
        assertThat(error.name()).isEqualTo("error");
        assertThat(error.data().path("error").path("type").asText()).isEqualTo("overloaded_error");
        assertThat(error.data().path("error").path("message").asText()).contains("upstream reset");
    }
}
