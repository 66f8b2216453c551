package dev.levee.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.simulator.ReceivedRequest;
import dev.levee.simulator.ResponseGenerator;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The streaming contract over HTTP, with the simulator's faults. */
class StreamingHttpTest {
    private static final String PROMPT = "Tell me how gateways stream";
    private static GatewayFixture gw;

    @BeforeAll
    static void start() {
        gw = new GatewayFixture("""
                routes:
                  default:
                    tiers:
                      - target: sim/primary
                      - target: sim/secondary
                        continuation: none
                      - target: sim/prefill
                        supports_prefill: true
                  no_prefill:
                    tiers:
                      - target: sim/primary
                      - target: sim/secondary
                        continuation: none
                resilience:
                  circuit_breaker: { consecutive_failures: 1000, window: 100, minimum_calls: 100 }
                  retry: { max_attempts: 1 }
                  timeout: { first_token: 1s, stream_idle: 500ms }
                """);
    }

    @AfterAll
    static void stop() {
        gw.close();
        assertThat(gw.blockedThreadWarnings()).isEmpty();
    }

    @BeforeEach
    void reset() {
        gw.sim.faults().clearAll();
        gw.sim.journal().clear();
    }

    private static Sse.Parsed stream(String route) throws Exception {
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayFixture.chat(route, PROMPT, true));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Sse.parse(r.body());
    }

    @Test
    void everyFailureBeforeTheFirstTokenIsInvisibleToTheClient() throws Exception {
        for (String fault : List.of("status=500", "retry_after=1", "reset", "hang", "ttft=3000", "error_after=0",
                "cut_after=0", "stall_after=0", "not_found")) {
            reset();
            gw.sim.faults().set("primary", fault);
            Sse.Parsed sse = stream("default");
            assertThat(sse.text()).as(fault).isEqualTo(ResponseGenerator.answerFor(PROMPT));
            assertThat(sse.done()).as(fault).isTrue();
            assertThat(sse.events()).as(fault).allSatisfy(e -> {
                assertThat(e.has("error")).isFalse();
                assertThat(e.path("model").asText()).isEqualTo("secondary");
            });
        }
    }

    @Test
    void aCutAfterContentIsContinuedIntoOneCompleteAnswer() throws Exception {
        gw.sim.faults().set("primary", "cut_after=6");
        Sse.Parsed sse = stream("default");
        assertThat(sse.text()).isEqualTo(ResponseGenerator.answerFor(PROMPT));
        assertThat(sse.done()).isTrue();
        assertThat(gw.sim.journal().count("prefill")).isEqualTo(1);
    }

    @Test
    void aStallAfterContentIsContinuedIntoOneCompleteAnswer() throws Exception {
        gw.sim.faults().set("primary", "stall_after=6");
        Sse.Parsed sse = stream("default");
        assertThat(sse.text()).isEqualTo(ResponseGenerator.answerFor(PROMPT));
        assertThat(sse.done()).isTrue();
    }

    @Test
    void withNoPrefillTierLeftTheStreamEndsWithAnInBandErrorThenAnAbortedBody() throws Exception {
        gw.sim.faults().set("primary", "cut_after=6");
        assertEndsInBandThenAborted();
    }

    /** The no_prefill route's stream: an in-band error event, then a body that never ends cleanly. */
    private static void assertEndsInBandThenAborted() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(gw.uri("/v1/chat/completions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(GatewayFixture.chat("no_prefill", PROMPT, true))).build();
        HttpResponse<InputStream> r = gw.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        GatewayFixture.Received received = GatewayFixture.readToEnd(r); // never a clean end on a truncated answer
        Sse.Parsed sse = Sse.parse(received.body());
        assertThat(received.aborted()).isTrue();
        assertThat(sse.done()).isFalse();
        var last = sse.events().get(sse.events().size() - 1);
        assertThat(last.path("error").path("message").asText()).contains("interrupted");
        assertThat(last.path("error").path("code").asText()).isEqualTo("stream_interrupted");
        assertThat(sse.events()).noneMatch(e -> e.path("choices").path(0).path("finish_reason").asText().equals("stop"));
    }

    @Test
    void aMalformedChunkIsALossOfIntegrityContinuedLikeACut() throws Exception {
        gw.sim.faults().set("primary", "malformed_at=3");
        Sse.Parsed sse = stream("default");
        assertThat(sse.done()).isTrue();
        assertThat(sse.text()).isEqualTo(ResponseGenerator.answerFor(PROMPT));
        assertThat(gw.sim.journal().count("prefill")).isEqualTo(1); // continued from the partial answer
    }

    @Test
    void aMalformedChunkWithNoTierToContinueEndsWithTheInBandError() throws Exception {
        gw.sim.faults().set("primary", "malformed_at=3");
        assertEndsInBandThenAborted();
    }

    @Test
    void anUpstreamThatFinishesWithoutDoneIsCompletedPromptly() throws Exception {
        var gwRoute = "default";
        gw.sim.faults().set("primary", "no_done");
        long start = System.nanoTime();
        Sse.Parsed sse = stream(gwRoute);
        assertThat(sse.done()).isTrue();
        assertThat(sse.text()).isEqualTo(ResponseGenerator.answerFor(PROMPT));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(400));
    }

    @Test
    void aClientThatDisconnectsCancelsTheUpstreamAndDoesNotTripTheBreaker() throws Exception {
        gw.sim.faults().set("primary", "token_ms=50");
        int failedBefore = gw.levee.breakers().stream().filter(b -> b.target().equals("sim/primary"))
                .mapToInt(b -> b.failedCalls()).sum();
        HttpRequest request = HttpRequest.newBuilder(gw.uri("/v1/chat/completions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(GatewayFixture.chat("default", PROMPT, true))).build();
        HttpResponse<InputStream> r = gw.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            byte[] some = new byte[64];
            assertThat(in.read(some)).isPositive(); // the stream has started
        } // closing the body before its end drops the connection

        ReceivedRequest cancelled = gw.sim.journal().await(rr -> rr.model().equals("primary")
                && rr.outcome() == ReceivedRequest.Outcome.CANCELLED, Duration.ofSeconds(5));
        assertThat(cancelled).isNotNull();
        var breaker = gw.levee.breakers().stream().filter(b -> b.target().equals("sim/primary")).findFirst().orElseThrow();
        assertThat(breaker.failedCalls()).isEqualTo(failedBefore);
        assertThat(breaker.state()).isEqualTo("CLOSED");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> gw.server.inFlight() == 0);
    }
}
