package dev.levee.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.levee.simulator.ResponseGenerator;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The promise, fault by fault: whatever the primary does, a client gets the whole answer or a
 * visible failure — never a 200 with a truncated answer reported complete. Each provider fault the
 * simulator can play, on JSON and on SSE, with the default resilience settings but shorter waits
 * (first token and stall limits of 1 s, a 6 s deadline) so the suite runs in seconds.
 */
class ChaosTest {
    static final String PROMPT = "How does a levee hold back a flood";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static GatewayFixture gw;

    @BeforeAll
    static void start() {
        // One route per fault, each with a primary of its own: no fault meets a breaker an earlier one opened.
        StringBuilder perFault = new StringBuilder();
        for (int i = 0; i < RESCUED.size(); i++) {
            perFault.append("  f").append(i).append(":\n    tiers:\n      - target: oai/primary-").append(i)
                    .append("\n      - target: oai/secondary\n");
        }
        gw = new GatewayFixture("routes:\n" + perFault + """
                  default:
                    tiers:
                      - target: oai/primary
                      - target: oai/secondary
                  policy:
                    tiers:
                      - target: oai/censor
                      - target: oai/secondary
                resilience:
                  timeout: { base: 3s, first_token: 1s, stream_idle: 1s, max: 6s }
                """, 300);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    /** Every fault kind the simulator plays, and what the client must see. */
    private static final List<String> RESCUED = List.of("status=429,retry_after=1,times=1", "status=500",
            "status=503", "status=529", "reset", "hang", "ttft=3000", "cut_after=5", "stall_after=5",
            "malformed_at=3", "error_after=4", "no_done", "context_length", "status=503,rate=0.5");

    @Test
    void everyFaultIsRescuedIntoTheWholeAnswerOnJsonAndSse() throws Exception {
        String expected = ResponseGenerator.answerFor(PROMPT);
        for (String fault : RESCUED) {
            for (boolean stream : new boolean[] {false, true}) {
                gw.sim.faults().clearAll();
                gw.sim.journal().clear();
                gw.sim.faults().seed(7);
                gw.sim.faults().set("primary-" + RESCUED.indexOf(fault), fault);
                Outcome o = call("f" + RESCUED.indexOf(fault), stream);
                assertThat(o.status).as(fault + (stream ? " sse" : " json")).isEqualTo(200);
                assertThat(o.text).as(fault + (stream ? " sse" : " json")).isEqualTo(expected);
                assertThat(o.complete).as(fault + (stream ? " sse" : " json")).isTrue();
            }
        }
    }

    @Test
    void aContentPolicyRefusalIsAVisibleErrorNotARescue() throws Exception {
        for (boolean stream : new boolean[] {false, true}) {
            gw.sim.faults().clearAll();
            gw.sim.faults().set("censor", "content_filter"); // its own target: the primary's breaker may be open
            Outcome o = call("policy", stream);
            assertThat(o.status).as(o.toString()).isEqualTo(400);
            assertThat(o.error).isEqualTo("content_policy_violation");
        }
    }

    @Test
    void withEveryTierCutTheStreamFailsVisiblyNeverCleanly() throws Exception {
        gw.sim.faults().clearAll();
        gw.sim.faults().set("*", "cut_after=5");
        Outcome o = call("default", true);
        assertThat(o.complete).isFalse(); // no [DONE]: no client takes the text for a whole answer
        assertThat(o.error).isEqualTo("stream_interrupted");
        assertThat(o.text).isNotEqualTo(ResponseGenerator.answerFor(PROMPT));
    }

    /** What a client saw: the status, the answer's text, whether it ended complete, the error code, the tier. */
    record Outcome(int status, String text, boolean complete, String error, String fallbackLevel) {
    }

    private static Outcome call(String route, boolean stream) throws Exception {
        return call(gw, route, stream);
    }

    /** Asks {@code route} for the answer to {@link #PROMPT}, as JSON or as a stream, and reads it all. */
    static Outcome call(GatewayFixture gw, String route, boolean stream) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(gw.uri("/v1/chat/completions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(GatewayFixture.chat(route, PROMPT, stream))).build();
        HttpResponse<InputStream> r = gw.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        StringBuilder received = new StringBuilder();
        boolean aborted = false;
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                received.append(line).append('\n');
            }
        } catch (java.io.IOException e) {
            aborted = true; // the body did not end cleanly
        }
        String body = received.toString();
        String level = r.headers().firstValue("x-levee-fallback-level").orElse(null);
        if (!stream || r.statusCode() != 200) {
            JsonNode json = body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
            return new Outcome(r.statusCode(), json.path("choices").path(0).path("message").path("content").asText(""),
                    json.path("choices").path(0).path("finish_reason").isTextual(),
                    json.path("error").path("code").asText(null), level);
        }
        Sse.Parsed sse = Sse.parse(body);
        JsonNode last = sse.events().isEmpty() ? JSON.createObjectNode() : sse.events().get(sse.events().size() - 1);
        return new Outcome(200, sse.text(), sse.done() && !aborted, last.path("error").path("code").asText(null), level);
    }
}
