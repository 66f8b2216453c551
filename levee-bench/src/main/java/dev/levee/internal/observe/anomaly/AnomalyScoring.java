package dev.levee.internal.observe.anomaly;

import dev.levee.AnomalyScore;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.FinishReason;
import dev.levee.Usage;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The anomaly detector's look at one answer, as the request path calls it after each request: the
 * content checks (loops, refusals, prompt echo, secrets) and the baseline comparison. {@code
 * benchAnswer} is the bench's upstream answer (one sentence); {@code longAnswer} a 1,600-character
 * one, closer to what models write. Run with {@code -prof gc} for the bytes each leaves behind.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AnomalyScoring {
    private static final String PROSE = """
            A levee is an embankment that keeps a river inside its channel when the water rises. \
            Engineers build it from compacted clay and sand, with a wide base and gentle slopes, so \
            that the weight of the soil resists the push of the flood. Grass on the faces holds the \
            surface together, and a drain at the landward toe carries away the water that seeps \
            through. Inspectors walk the crown after every high-water event, looking for boils, \
            cracks and slumps, because a small leak that carries soil grows quickly into a breach. \
            When a section fails, crews close the gap with sandbags, rock and sheet piles while the \
            pumps behind the line keep the protected land dry. Modern designs add relief wells, cutoff \
            walls and spillways that let a controlled amount of water into a floodway instead of \
            letting the river choose where to break through. Maintenance matters as much as design: \
            burrowing animals, tree roots and vehicle ruts weaken the embankment over the years, and \
            records of past floods guide where the next reinforcement should go. Upstream, reservoirs             hold back part of a flood wave and release it over days, which lowers the crest that             reaches the towns downstream. Wetlands act as sponges too: restoring them along a             tributary can shave centimetres off a peak that would otherwise overtop a wall. Forecasters             combine rainfall radar, snowpack surveys and gauge readings into models that predict the             stage at each bridge hours ahead, and emergency managers use those numbers to decide when             to close roads, open floodgates or order an evacuation. """;

    private BaselineAnomalyDetector detector;
    private ChatRequest request;
    private ChatResponse shortAnswer;
    private ChatResponse longAnswer;

    @Setup
    public void setUp() {
        detector = new BaselineAnomalyDetector();
        request = ChatRequest.builder().route("default").system("You are terse.")
                .user("Explain circuit breakers in one sentence.").maxTokens(64).build();
        shortAnswer = answer("A circuit breaker stops calls to a failing service for a while, so it can recover and "
                + "callers fail fast.", 20);
        longAnswer = answer(PROSE.strip(), 330);
        AnomalyScore healthy = detector.score(request, longAnswer, null);
        if (healthy.score() > 0) {
            throw new IllegalStateException("the long answer should look healthy: " + healthy.reasons());
        }
    }

    private static ChatResponse answer(String text, int completionTokens) {
        return new ChatResponse(text, "gpt-4o-mini", "mock", "default", Usage.of(14, completionTokens),
                FinishReason.STOP, 40.0, 0, "r", Instant.now(), List.of());
    }

    @Benchmark
    public AnomalyScore benchAnswer() {
        return detector.score(request, shortAnswer, null);
    }

    @Benchmark
    public AnomalyScore longAnswer() {
        return detector.score(request, longAnswer, null);
    }
}
