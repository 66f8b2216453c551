package dev.levee.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.simulator.ReceivedRequest;
import dev.levee.simulator.ResponseGenerator;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Anthropic's stream events over HTTP, with the streaming contract: fallback, continuation, in-band error, cancel. */
class MessagesStreamingTest extends MessagesFixture {
    private static final String PROMPT = "Tell me how gateways stream";

    private static List<Event> stream(String body) throws Exception {
        HttpResponse<String> r = post(body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        return events(r.body());
    }

    private static List<String> names(List<Event> events) {
        return events.stream().map(Event::name).filter(n -> !n.equals("content_block_delta")).toList();
    }

    @Test
    void aTextAnswerStreamsAsAnthropicsEventsInOrder() throws Exception {
        List<Event> events = stream(simple("default", PROMPT, true));

        assertThat(names(events)).containsExactly("message_start", "content_block_start", "content_block_stop",
                "message_delta", "message_stop");
        assertThat(events).allSatisfy(e -> assertThat(e.data().path("type").asText()).isEqualTo(e.name()));
        JsonNode start = events.get(0).data().path("message");
        assertThat(start.path("id").asText()).startsWith("msg_");
        assertThat(start.path("model").asText()).isEqualTo("primary");
        assertThat(start.path("content")).isEmpty();
        assertThat(events.get(1).data().path("content_block").path("type").asText()).isEqualTo("text");
        assertThat(events.stream().filter(e -> e.name().equals("content_block_delta")).count()).isGreaterThan(1);
        assertThat(text(events)).isEqualTo(ResponseGenerator.answerFor(PROMPT));
        JsonNode delta = events.get(events.size() - 2).data();
        assertThat(delta.path("delta").path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(delta.path("usage").path("output_tokens").asInt()).isPositive();
    }

    @Test
    void aStreamNamesWhatWasNotAppliedAndWhoAnswered() throws Exception {
        HttpResponse<String> r = post("""
                {"model": "default", "max_tokens": 64, "stream": true, "service_tier": "auto",
                 "messages": [{"role": "user", "content": "hi"}]}""");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-levee-not-applied")).hasValue("service_tier");
        assertThat(r.headers().firstValue("x-levee-model-used")).hasValue("primary");
        assertThat(r.headers().firstValue("request-id")).isPresent();
        assertThat(names(events(r.body()))).endsWith("message_stop");
    }

    @Test
    void aFailureBeforeTheFirstTokenIsInvisible() throws Exception {
        gw.sim.faults().set("primary", "status=503");

        List<Event> events = stream(simple("default", PROMPT, true));

        assertThat(events.get(0).data().path("message").path("model").asText()).isEqualTo("secondary");
        assertThat(text(events)).isEqualTo(ResponseGenerator.answerFor(PROMPT));
        assertThat(names(events)).doesNotContain("error").endsWith("message_stop");
    }

    @Test
    void aCutAfterContentIsContinuedIntoOneTextBlock() throws Exception {
        gw.sim.faults().set("primary", "cut_after=6");

        List<Event> events = stream(simple("prefill", PROMPT, true));

        assertThat(text(events)).isEqualTo(ResponseGenerator.answerFor(PROMPT));
        assertThat(names(events)).containsExactly("message_start", "content_block_start", "content_block_stop",
                "message_delta", "message_stop");
        assertThat(gw.sim.journal().count("prefill")).isEqualTo(1);
    }

    @Test
    void withNoPrefillTierLeftTheStreamEndsWithAnInBandErrorThenAnAbortedBody() throws Exception {
        gw.sim.faults().set("primary", "cut_after=6");
        HttpRequest request = HttpRequest.newBuilder(gw.uri("/v1/messages"))
                .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(simple("default", PROMPT, true))).build();
        HttpResponse<InputStream> r = gw.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        GatewayFixture.Received received = GatewayFixture.readToEnd(r); // never a clean end on a truncated answer
        List<Event> events = events(received.body());
        assertThat(received.aborted()).isTrue();
        assertThat(text(events)).isNotEmpty();
        Event last = events.get(events.size() - 1);
        assertThat(last.name()).isEqualTo("error");
        assertThat(last.data().path("type").asText()).isEqualTo("error");
        assertThat(last.data().path("error").path("type").asText()).isIn("api_error", "overloaded_error");
        assertThat(last.data().path("error").path("message").asText()).contains("interrupted");
        assertThat(names(events)).doesNotContain("message_stop", "message_delta");
    }

    @Test
    void aStreamedToolCallIsAToolUseBlockWithItsArgumentPieces() throws Exception {
        List<Event> events = stream("""
                {"model": "default", "max_tokens": 256, "stream": true, "tool_choice": {"type": "any"},
                 "tools": [{"name": "get_weather", "input_schema": {"type": "object",
                   "properties": {"city": {"type": "string"}}}}],
                 "messages": [{"role": "user", "content": "Weather for Copenhagen"}]}""");

        Event start = events.stream().filter(e -> e.name().equals("content_block_start")
                && e.data().path("content_block").path("type").asText().equals("tool_use")).findFirst().orElseThrow();
        int index = start.data().path("index").asInt();
        assertThat(start.data().path("content_block").path("name").asText()).isEqualTo("get_weather");
        assertThat(start.data().path("content_block").path("id").asText()).isNotEmpty();
        List<String> pieces = events.stream().filter(e -> e.name().equals("content_block_delta")
                        && e.data().path("index").asInt() == index)
                .map(e -> e.data().path("delta")).peek(d -> assertThat(d.path("type").asText()).isEqualTo("input_json_delta"))
                .map(d -> d.path("partial_json").asText()).toList();
        assertThat(pieces.size()).isGreaterThan(1); // relayed piece by piece, not buffered into one
        assertThat(Sse.JSON.readTree(String.join("", pieces)).path("city").asText()).isEqualTo("Copenhagen");
        assertThat(events.stream().filter(e -> e.name().equals("content_block_stop")).map(e -> e.data().path("index").asInt()))
                .contains(index);
        assertThat(events.get(events.size() - 2).data().path("delta").path("stop_reason").asText()).isEqualTo("tool_use");
    }

    @Test
    void aClientThatLeavesCancelsTheUpstream() throws Exception {
        gw.sim.faults().set("primary", "token_ms=50");
        HttpRequest request = HttpRequest.newBuilder(gw.uri("/v1/messages"))
                .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(simple("default", PROMPT + " at length", true))).build();
        HttpResponse<InputStream> r = gw.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            assertThat(in.read(new byte[64])).isPositive();
        }
        ReceivedRequest cancelled = gw.sim.journal().await(rr -> rr.model().equals("primary")
                && rr.outcome() == ReceivedRequest.Outcome.CANCELLED, Duration.ofSeconds(5));
        assertThat(cancelled).isNotNull();
    }
}
