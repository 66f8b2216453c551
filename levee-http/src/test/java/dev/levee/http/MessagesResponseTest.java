package dev.levee.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.ChatResponse;
import dev.levee.FinishReason;
import dev.levee.Provenance;
import dev.levee.ToolCall;
import dev.levee.Usage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code message} object levee writes, from answers no simulator tier gives. */
class MessagesResponseTest {
    private static JsonNode message(String text, List<ToolCall> calls, FinishReason finish, Provenance p)
            throws Exception {
        ChatResponse r = new ChatResponse(text, "claude-x", "p", "default", new Usage(7, 3, 10, true), finish, 1.0, 0,
                "req-1", Instant.EPOCH, List.of(), calls, null, p, List.of());
        return Sse.JSON.readTree(MessagesResponse.message(r).toString(StandardCharsets.UTF_8));
    }

    @Test
    void theProvidersMessageIdPassesThroughAndAnyOtherIsReplaced() throws Exception {
        assertThat(message("hi", List.of(), FinishReason.STOP, new Provenance("msg_01abc", 1L, null)).path("id").asText())
                .isEqualTo("msg_01abc");
        assertThat(message("hi", List.of(), FinishReason.STOP, new Provenance("chatcmpl-9", 1L, null)).path("id").asText())
                .isEqualTo("msg_req-1");
    }

    @Test
    void eachFinishHasItsStopReason() throws Exception {
        assertThat(message("a", List.of(), FinishReason.LENGTH, null).path("stop_reason").asText()).isEqualTo("max_tokens");
        assertThat(message("a", List.of(), FinishReason.CONTENT_FILTER, null).path("stop_reason").asText())
                .isEqualTo("refusal");
        assertThat(message("a", List.of(), null, null).path("stop_reason").asText()).isEqualTo("end_turn");
    }

    @Test
    void toolCallsFollowTheTextAndArgumentsThatAreNotAnObjectStayAsTheyCame() throws Exception {
        JsonNode m = message("Let me look.", List.of(new ToolCall("call_1", "f", "{\"a\":1}"),
                new ToolCall("call_2", "g", "{broken"), new ToolCall("call_3", "h", "")), FinishReason.TOOL_CALLS, null);

        JsonNode content = m.path("content");
        assertThat(content.get(0).path("text").asText()).isEqualTo("Let me look.");
        assertThat(content.get(1).path("input").path("a").asInt()).isEqualTo(1);
        assertThat(content.get(2).path("input").asText()).isEqualTo("{broken");
        assertThat(content.get(3).path("input").isObject()).isTrue();
        assertThat(m.path("stop_reason").asText()).isEqualTo("tool_use");
    }

    @Test
    void anAnswerWithOnlyToolCallsHasNoTextBlockAndUsageSaysWhenItIsEstimated() throws Exception {
        JsonNode m = message("", List.of(new ToolCall("call_1", "f", "{}")), FinishReason.TOOL_CALLS, null);

        assertThat(m.path("content")).hasSize(1);
        assertThat(m.path("content").get(0).path("type").asText()).isEqualTo("tool_use");
        assertThat(m.path("usage").path("input_tokens").asInt()).isEqualTo(7);
        assertThat(m.path("usage").path("output_tokens").asInt()).isEqualTo(3);
        assertThat(m.path("usage").path("estimated").asBoolean()).isTrue();
    }
}
