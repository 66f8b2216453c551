package dev.levee.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.ChatChunk;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.ChatStream;
import dev.levee.LeveeException;
import dev.levee.Levee;
import dev.levee.StreamHandler;
import dev.levee.TestSupport;
import dev.levee.simulator.ReceivedRequest;
import dev.levee.simulator.ResponseGenerator;
import dev.levee.simulator.Simulator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Streams through the facade: invisible failover before the first token, continuation after it, cancel. */
class StreamingTest {
    private static final String PROMPT = "Describe how a levee holds back a river";
    private static Simulator sim;
    private static Levee levee;

    @BeforeAll
    static void start() {
        sim = TestSupport.simulator();
        levee = TestSupport.levee(TestSupport.ollamaConfig(sim, """
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
                  instructed:
                    tiers:
                      - target: sim/primary
                      - target: sim/plain
                  prefill_refused:
                    tiers:
                      - target: sim/primary
                      - target: sim/stubborn
                        supports_prefill: true
                resilience:
                  circuit_breaker: { consecutive_failures: 1000, window: 100, minimum_calls: 100 }
                  retry: { max_attempts: 1 }
                  timeout: { first_token: 1s, stream_idle: 400ms }
                """), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        levee.close();
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.faults().clearAll();
        sim.journal().clear();
    }

    /** Collects everything a stream handler is told. */
    static final class Collector implements StreamHandler {
        final List<ChatChunk> chunks = new CopyOnWriteArrayList<>();
        final CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        volatile String startedModel;

        @Override
        public void onStart(String requestId, String model, int fallbackLevel) {
            startedModel = model;
        }

        @Override
        public void onChunk(ChatChunk chunk) {
            chunks.add(chunk);
        }

        @Override
        public void onComplete(ChatResponse response) {
            done.complete(response);
        }

        @Override
        public void onError(LeveeException error) {
            done.completeExceptionally(error);
        }

        String text() {
            StringBuilder sb = new StringBuilder();
            chunks.forEach(c -> sb.append(c.text()));
            return sb.toString();
        }

        ChatResponse await() throws Exception {
            return done.get(10, TimeUnit.SECONDS);
        }
    }

    private static ChatRequest request(String route) {
        return ChatRequest.builder().route(route).user(PROMPT).build();
    }

    @Test
    void aHealthyStreamDeliversTheWholeAnswerInChunks() throws Exception {
        Collector c = new Collector();
        levee.stream(request(null), c);
        ChatResponse r = c.await();

        assertThat(c.text()).isEqualTo(ResponseGenerator.answerFor(PROMPT));
        assertThat(r.text()).isEqualTo(c.text());
        assertThat(c.chunks.size()).isGreaterThan(10);
        assertThat(r.modelUsed()).isEqualTo("primary");
        assertThat(r.usage().completionTokens()).isPositive();
    }

    @Test
    void failuresBeforeTheFirstTokenFallOverInvisibly() throws Exception {
        for (String fault : List.of("status=503", "reset", "ttft=3000", "error_after=0", "cut_after=0")) {
            reset();
            sim.faults().set("primary", fault);
            Collector c = new Collector();
            levee.stream(request(null), c);
            ChatResponse r = c.await();

            assertThat(r.modelUsed()).as(fault).isEqualTo("secondary");
            assertThat(c.startedModel).as(fault).isEqualTo("secondary");
            assertThat(c.text()).as(fault).isEqualTo(ResponseGenerator.answerFor(PROMPT));
            assertThat(c.chunks).as(fault).allSatisfy(ch -> assertThat(ch.model()).isEqualTo("secondary"));
        }
    }

    @Test
    void aStreamCutAfterContentIsContinuedOnThePrefillTier() throws Exception {
        sim.faults().set("primary", "cut_after=5");
        Collector c = new Collector();
        levee.stream(request(null), c);
        ChatResponse r = c.await();

        assertThat(c.text()).isEqualTo(ResponseGenerator.answerFor(PROMPT));
        assertThat(r.modelUsed()).isEqualTo("prefill");
        assertThat(sim.journal().count("secondary")).isZero(); // not prefill-capable
        ReceivedRequest continuation = sim.journal().forModel("prefill").get(0);
        var messages = continuation.body().path("messages");
        assertThat(messages.get(messages.size() - 1).path("role").asText()).isEqualTo("assistant");
        assertThat(ResponseGenerator.answerFor(PROMPT)).startsWith(messages.get(messages.size() - 1).path("content").asText());
    }

    @Test
    void aCutStreamIsContinuedByInstructionOnATierWithoutPrefillWithoutRepeatingAWord() throws Exception {
        for (int cut : List.of(3, 5, 8, 13)) {
            reset();
            sim.faults().set("primary", "cut_after=" + cut);
            Collector c = new Collector();
            levee.stream(request("instructed"), c);
            ChatResponse r = c.await();

            assertThat(c.text()).as("cut after " + cut).isEqualTo(ResponseGenerator.answerFor(PROMPT));
            assertThat(r.text()).isEqualTo(c.text());
            var messages = sim.journal().forModel("plain").get(0).body().path("messages");
            assertThat(messages.size()).as(messages.toString()).isGreaterThanOrEqualTo(3);
            assertThat(messages.get(messages.size() - 2).path("role").asText()).isEqualTo("assistant");
            assertThat(messages.get(messages.size() - 1).path("content").asText()).isEqualTo(TierWalk.CONTINUE);
        }
    }

    @Test
    void aTargetThatRefusesThePrefillIsAskedAgainWithTheInstruction() throws Exception {
        sim.faults().set("primary", "cut_after=5");
        sim.faults().set("stubborn", "prefill_rejected"); // said to take a prefill; the model does not
        Collector c = new Collector();
        levee.stream(request("prefill_refused"), c);
        ChatResponse r = c.await();

        assertThat(c.text()).isEqualTo(ResponseGenerator.answerFor(PROMPT));
        var calls = sim.journal().forModel("stubborn");
        assertThat(calls).hasSize(2);
        var first = calls.get(0).body().path("messages");
        assertThat(first.get(first.size() - 1).path("role").asText()).as("the prefill").isEqualTo("assistant");
        var second = calls.get(1).body().path("messages");
        assertThat(second.get(second.size() - 1).path("content").asText()).isEqualTo(TierWalk.CONTINUE);
        assertThat(r.fallbackLevel()).isEqualTo(1);
    }

    @Test
    void theSpliceCutsOnlyAWholeRepeatedWord() {
        assertThat(Splice.overlap("the river rises", "rises and falls")).isEqualTo(5);
        assertThat(Splice.overlap("the river rises", " rises and falls")).isEqualTo(6);
        assertThat(Splice.overlap("the river rises", " and falls")).isZero(); // no repeat at the seam
        assertThat(Splice.overlap("the rivers", "s and more")).isZero(); // a letter is chance, not a repeat
        assertThat(Splice.overlap("it is", "is")).isEqualTo(2);
        assertThat(Splice.overlap("the river rises", "and falls")).isZero();
    }

    @Test
    void aStallAfterContentIsContinuedToo() throws Exception {
        sim.faults().set("primary", "stall_after=4");
        Collector c = new Collector();
        levee.stream(request(null), c);
        assertThat(c.await().text()).isEqualTo(ResponseGenerator.answerFor(PROMPT));
    }

    @Test
    void withNoPrefillTierLeftACutStreamEndsInAnErrorNotATruncatedSuccess() throws Exception {
        sim.faults().set("primary", "cut_after=5");
        Collector c = new Collector();
        levee.stream(request("no_prefill"), c);

        assertThat(c.done).failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(LeveeException.class).withMessageContaining("interrupted")
                .satisfies(e -> assertThat(((LeveeException) e).code()).isEqualTo("stream_interrupted"));
        assertThat(c.text()).isNotEmpty().isNotEqualTo(ResponseGenerator.answerFor(PROMPT));
    }

    @Test
    void cancellingAStreamResetsTheUpstreamAndLeavesTheBreakerAlone() throws Exception {
        sim.faults().set("primary", "token_ms=40");
        long failedBefore = levee.breakers().stream().filter(b -> b.target().equals("sim/primary"))
                .mapToLong(b -> b.failedCalls()).sum(); // other tests cut the primary on purpose
        Collector c = new Collector();
        ChatStream stream = levee.stream(request(null), c);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> c.chunks.size() >= 2);

        stream.cancel();

        assertThat(sim.journal().await(r -> r.model().equals("primary")
                && r.outcome() == ReceivedRequest.Outcome.CANCELLED, Duration.ofSeconds(5))).isNotNull();
        assertThat(stream.completion()).isCompletedExceptionally();
        var breaker = levee.breakers().stream().filter(b -> b.target().equals("sim/primary")).findFirst().orElseThrow();
        assertThat(breaker.failedCalls()).isEqualTo(failedBefore);
        assertThat(breaker.state()).isEqualTo("CLOSED");
    }

    @Test
    void pausingTheStreamStopsDelivery() throws Exception {
        sim.faults().set("primary", "token_ms=5");
        Collector c = new Collector();
        ChatStream stream = levee.stream(request(null), c);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !c.chunks.isEmpty());
        stream.pause();
        Thread.sleep(100);
        int seen = c.chunks.size();
        Thread.sleep(300);
        assertThat(c.chunks.size()).isEqualTo(seen);
        stream.resume();
        assertThat(c.await().text()).isEqualTo(ResponseGenerator.answerFor(PROMPT));
    }

    @Test
    void allTiersFailingStreamsTheRuleBasedReply() throws Exception {
        sim.faults().set("*", "status=500");
        Collector c = new Collector();
        levee.stream(ChatRequest.builder().user("hello, anyone?").build(), c);
        ChatResponse r = c.await();
        assertThat(r.modelUsed()).isEqualTo(ChatResponse.RULE_BASED);
        assertThat(c.text()).contains("fallback mode");
    }
}
