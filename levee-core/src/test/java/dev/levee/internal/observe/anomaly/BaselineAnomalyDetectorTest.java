package dev.levee.internal.observe.anomaly;

import dev.levee.config.AnomalySettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.AnomalyScore;
import dev.levee.ChatChunk;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.FinishReason;
import dev.levee.Levee;
import dev.levee.LeveeException;
import dev.levee.StreamHandler;
import dev.levee.TestSupport;
import dev.levee.Usage;
import dev.levee.spi.LeveeEvent.RequestCompleted;
import dev.levee.simulator.ResponseGenerator;
import dev.levee.simulator.Simulator;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The statistical baselines: warm-up, robustness, adaptation, thread-safety, and a real spike through the engine. */
class BaselineAnomalyDetectorTest {
    private static final String ANSWER = ResponseGenerator.answerFor("Explain circuit breakers");
    private static final ChatRequest REQUEST = ChatRequest.of("Explain circuit breakers");

    private static ChatResponse answer(String model, double latencyMs, int outputTokens) {
        return new ChatResponse(ANSWER, model, "sim", "default", Usage.of(20, outputTokens), FinishReason.STOP,
                latencyMs, 0, "r", Instant.EPOCH, List.of());
    }

    /** Normal traffic: latency 1000 ms +-5 %, 80 output tokens +-5. */
    private static void feedNormal(BaselineAnomalyDetector detector, String model, int n, SplittableRandom random) {
        for (int i = 0; i < n; i++) {
            AnomalyScore s = detector.score(REQUEST, answer(model, 950 + 100 * random.nextDouble(),
                    75 + random.nextInt(11)), null);
            assertThat(s.score()).as("normal sample %d", i).isLessThan(0.7);
        }
    }

    private static boolean mentions(AnomalyScore score, String word) {
        return score.reasons().stream().anyMatch(r -> r.contains(word));
    }

    @Test
    void nothingIsJudgedStatisticallyBeforeTheWarmUp() {
        BaselineAnomalyDetector detector = new BaselineAnomalyDetector();
        SplittableRandom random = new SplittableRandom(1);
        feedNormal(detector, "m", 19, random);

        AnomalyScore twentieth = detector.score(REQUEST, answer("m", 50_000, 80), null);
        assertThat(twentieth.score()).isZero();
        assertThat(twentieth.reasons()).isEmpty();

        AnomalyScore twentyFirst = detector.score(REQUEST, answer("m", 50_000, 80), null);
        assertThat(twentyFirst.score()).isGreaterThan(0.7);
        assertThat(twentyFirst.reasons()).anyMatch(r -> r.startsWith("latency") && r.contains("the p50 baseline"));
    }

    @Test
    void aSingleHugeOutlierHardlyMovesTheBaseline() {
        BaselineAnomalyDetector detector = new BaselineAnomalyDetector();
        feedNormal(detector, "m", 100, new SplittableRandom(2));
        double before = detector.baseline("m").orElseThrow().latencyMs().p50();

        assertThat(detector.score(REQUEST, answer("m", 1_000_000, 80), null).score()).isEqualTo(1.0);

        double after = detector.baseline("m").orElseThrow().latencyMs().p50();
        assertThat(after).isCloseTo(before, org.assertj.core.data.Percentage.withPercentage(2));
        assertThat(detector.score(REQUEST, answer("m", 1000, 80), null).score()).isZero();
        assertThat(detector.score(REQUEST, answer("m", 3500, 80), null).score()).isGreaterThan(0.7);
    }

    @Test
    void aLastingShiftIsLearnedStepByStep() {
        BaselineAnomalyDetector detector = new BaselineAnomalyDetector();
        feedNormal(detector, "m", 100, new SplittableRandom(3));
        assertThat(detector.score(REQUEST, answer("m", 3000, 80), null).score()).isGreaterThan(0.7);

        for (int i = 0; i < 600; i++) {
            detector.score(REQUEST, answer("m", 3000, 80), null);
        }

        assertThat(detector.score(REQUEST, answer("m", 3000, 80), null).score()).isLessThan(0.7);
    }

    @Test
    void eachModelHasItsOwnBaseline() {
        BaselineAnomalyDetector detector = new BaselineAnomalyDetector();
        feedNormal(detector, "fast", 40, new SplittableRandom(4));
        for (int i = 0; i < 40; i++) {
            detector.score(REQUEST, answer("slow", 9000 + i, 80), null);
        }
        assertThat(detector.score(REQUEST, answer("slow", 9000, 80), null).score()).isZero();
        assertThat(detector.score(REQUEST, answer("fast", 9000, 80), null).score()).isGreaterThan(0.7);
    }

    @Test
    void timeToFirstTokenIsJudgedForStreams() {
        BaselineAnomalyDetector detector = new BaselineAnomalyDetector();
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 30; i++) {
            detector.score(REQUEST, answer("m", 1000 + random.nextInt(50), 80), 200.0 + random.nextInt(20));
        }
        // The whole answer took its usual time, but the first token came very late.
        AnomalyScore late = detector.score(REQUEST, answer("m", 1030, 80), 2500.0);
        assertThat(late.score()).isGreaterThan(0.7);
        assertThat(mentions(late, "time to first token")).isTrue();
    }

    @Test
    void outputTokensFarBelowOrAboveTheUsualAreFlagged() {
        BaselineAnomalyDetector detector = new BaselineAnomalyDetector();
        feedNormal(detector, "m", 40, new SplittableRandom(6));

        AnomalyScore tiny = detector.score(REQUEST, answer("m", 400, 4), null);
        assertThat(tiny.score()).isGreaterThan(0.7);
        assertThat(mentions(tiny, "output tokens")).isTrue();
        assertThat(mentions(tiny, "throughput")).as("tokens/s of a 4-token answer says nothing").isFalse();

        AnomalyScore runaway = detector.score(REQUEST, answer("m", 1000, 2000), null);
        assertThat(runaway.score()).isGreaterThan(0.7);
        assertThat(mentions(runaway, "output tokens")).isTrue();
    }

    @Test
    void aFastPathsJitterIsNotAnAnomalyButARealStallIs() {
        // A model (or cache) that answers in ~0.4 ms: 5 ms is 12x its p50, yet costs the caller
        // under 5 ms. Neither latency nor throughput may flag it; a 400 ms stall still counts.
        BaselineAnomalyDetector detector = new BaselineAnomalyDetector();
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 60; i++) {
            detector.score(REQUEST, answer("fast", 0.3 + 0.2 * random.nextDouble(), 20), null);
        }
        AnomalyScore jitter = detector.score(REQUEST, answer("fast", 5, 20), null);
        assertThat(jitter.score()).isLessThan(0.7);
        assertThat(mentions(jitter, "latency")).isFalse();
        assertThat(mentions(jitter, "throughput")).isFalse();

        AnomalyScore stall = detector.score(REQUEST, answer("fast", 400, 20), null);
        assertThat(stall.score()).isGreaterThan(0.7);
        assertThat(mentions(stall, "latency")).isTrue();
    }

    @Test
    void slowGenerationShowsAsLowThroughput() {
        BaselineAnomalyDetector detector = new BaselineAnomalyDetector();
        feedNormal(detector, "m", 40, new SplittableRandom(7));
        AnomalyScore slow = detector.score(REQUEST, answer("m", 8000, 80), null);
        assertThat(slow.score()).isGreaterThan(0.7);
        assertThat(mentions(slow, "throughput")).isTrue();
        assertThat(slow.reasons())
                .anyMatch(r -> r.matches("latency [78]\\.\\dx the p50 baseline \\(8000 ms vs \\d+ ms\\)"));
    }

    @Test
    void theRuleBasedReplyIsNeverScored() {
        BaselineAnomalyDetector detector = new BaselineAnomalyDetector();
        ChatResponse canned = new ChatResponse("I'm sorry, but I can't provide explanations right now.",
                ChatResponse.RULE_BASED, null, "default", Usage.NONE, FinishReason.STOP, 0.1, 2, "r", Instant.EPOCH,
                List.of());

        assertThat(detector.score(REQUEST, canned, null)).isEqualTo(AnomalyScore.NONE);
        assertThat(detector.baseline(ChatResponse.RULE_BASED)).isEmpty();
    }

    @Test
    void memoryIsBoundedByWindowAndModelCount() {
        BaselineAnomalyDetector detector = new BaselineAnomalyDetector(AnomalySettings.builder().windowSize(50)
                .maxModels(2).build());
        feedNormal(detector, "a", 120, new SplittableRandom(8));
        feedNormal(detector, "b", 10, new SplittableRandom(9));
        detector.score(REQUEST, answer("c", 1000, 80), null);

        assertThat(detector.baseline("a").orElseThrow().latencyMs().samples()).isEqualTo(50);
        assertThat(detector.baseline("c")).isEmpty();
        // Content is still checked for a model without a baseline.
        ChatResponse empty = new ChatResponse("", "c", "sim", "default", Usage.of(5, 0), FinishReason.STOP, 100, 0,
                "r", Instant.EPOCH, List.of());
        assertThat(detector.score(REQUEST, empty, null).score()).isEqualTo(1.0);
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> AnomalySettings.builder().threshold(1.2).build())
                .hasMessageContaining("threshold");
        assertThatThrownBy(() -> AnomalySettings.builder().warmUpSamples(50).windowSize(20).build())
                .hasMessageContaining("window");
        assertThatThrownBy(() -> AnomalySettings.builder().sensitivity(0).build())
                .hasMessageContaining("sensitivity");
        assertThat(AnomalySettings.DEFAULTS.threshold()).isEqualTo(0.7);
        assertThat(AnomalySettings.DEFAULTS.warmUpSamples()).isEqualTo(20);
    }

    @Test
    void concurrentScoringFromManyThreadsIsSafe() throws Exception {
        BaselineAnomalyDetector detector = new BaselineAnomalyDetector(AnomalySettings.builder().windowSize(100)
                .build());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> runs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            runs.add(pool.submit(() -> {
                SplittableRandom random = new SplittableRandom(thread);
                int flagged = 0;
                for (int i = 0; i < 3000; i++) {
                    String model = "m" + (i % 3);
                    boolean spike = random.nextInt(100) == 0;
                    AnomalyScore s = detector.score(REQUEST, answer(model, spike ? 30_000 : 950 + random.nextInt(100),
                            75 + random.nextInt(11)), random.nextBoolean() ? 200.0 + random.nextInt(20) : null);
                    assertThat(s.score()).isBetween(0.0, 1.0);
                    flagged += s.score() > 0.7 ? 1 : 0;
                }
                return flagged;
            }));
        }
        int flagged = 0;
        for (Future<Integer> run : runs) {
            flagged += run.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        for (String model : List.of("m0", "m1", "m2")) {
            BaselineSnapshot b = detector.baseline(model).orElseThrow();
            assertThat(b.latencyMs().samples()).isEqualTo(100);
            assertThat(b.latencyMs().p50()).isBetween(950.0, 1050.0);
        }
        // About 1 % spikes were injected: 240 of 24,000.
        assertThat(flagged).isBetween(150, 330);
    }

    @Test
    void aRealTimeToFirstTokenSpikeIsFlaggedThroughTheEngine() {
        BaselineAnomalyDetector detector = new BaselineAnomalyDetector();
        List<RequestCompleted> completed = new CopyOnWriteArrayList<>();
        try (Simulator sim = TestSupport.simulator();
             Levee levee = Levee.builder().config(TestSupport.ollamaConfig(sim, """
                     routes:
                       default:
                         tiers: [ { target: sim/steady } ]
                     """)).clock(Clock.systemUTC()).anomalyDetector(detector).logRequests(false)
                     .listener(e -> {
                         if (e instanceof RequestCompleted c) {
                             completed.add(c);
                         }
                     }).build()) {
            // A steady 100 ms before the first token, so the few ms of scheduling noise stay small beside it.
            sim.faults().set("steady", "ttft=100,token_ms=0");
            for (int i = 0; i < 25; i++) {
                stream(levee, "Tell me about topic " + i);
            }
            // 3 s before the first token: far beyond any stall the shared build machine adds.
            sim.faults().set("steady", "ttft=3000,token_ms=0");
            stream(levee, "Tell me about the slow topic");
        }
        RequestCompleted slow = completed.get(completed.size() - 1);
        assertThat(slow.ttftMs()).isGreaterThan(2900.0);
        assertThat(slow.anomaly().score()).isGreaterThan(0.7);
        assertThat(slow.anomaly().reasons()).anyMatch(r -> r.startsWith("time to first token"));
    }

    private static void stream(Levee levee, String prompt) {
        levee.stream(ChatRequest.of(prompt), new StreamHandler() {
            @Override
            public void onChunk(ChatChunk chunk) {
            }

            @Override
            public void onComplete(ChatResponse response) {
            }

            @Override
            public void onError(LeveeException error) {
            }
        }).completion().join();
    }
}
