package dev.levee.internal.observe.metrics;

import dev.levee.AnomalyScore;
import dev.levee.Attempt;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.FinishReason;
import dev.levee.Ticker;
import dev.levee.Usage;
import dev.levee.config.ConfigLoader;
import dev.levee.config.LeveeConfig;
import dev.levee.internal.resilience.Breakers;
import dev.levee.spi.LeveeEvent;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
 * What the metrics listener does for one answered request, on the event loop that answered it: the
 * four events of a request that one attempt answered (started, attempt started and succeeded,
 * completed), into the Prometheus registry the gateway serves. Request ids rotate over 1,024, as
 * requests in flight do.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MetricsPerRequest {
    private static final int REQUESTS = 1024;

    private MetricsListener listener;
    private LeveeEvent[][] requests;
    private int next;

    @Setup
    public void setUp() {
        LeveeConfig config = ConfigLoader.parse("""
                providers:
                  mock: { type: openai, base_url: "http://127.0.0.1:9/v1", api_key: sk-bench-000000000000 }
                routes:
                  default:
                    tiers:
                      - target: mock/gpt-4o-mini
                """, "bench.yaml", n -> null);
        Breakers breakers = new Breakers(config.resilience().breaker(), Clock.systemUTC(), Ticker.SYSTEM,
                (target, from, to) -> { });
        listener = new MetricsListener(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), breakers, 0.7, config);
        ChatRequest request = ChatRequest.builder().route("default").user("Explain circuit breakers.").build();
        Instant at = Instant.now();
        requests = new LeveeEvent[REQUESTS][];
        for (int i = 0; i < REQUESTS; i++) {
            String id = "req-" + i;
            ChatResponse answer = new ChatResponse("A circuit breaker stops calls to a failing service.", "gpt-4o-mini",
                    "mock", "default", Usage.of(14, 20), FinishReason.STOP, 1.2, 0, id, at,
                    List.of(new Attempt(0, "mock/gpt-4o-mini", Attempt.Outcome.SUCCEEDED, 200, null, 0.9, -1)));
            requests[i] = new LeveeEvent[] {
                    new LeveeEvent.RequestStarted(id, at, "default", request, false, "a1b2c3d4e5f6", 25, null, null),
                    new LeveeEvent.AttemptStarted(id, at, 0, "mock/gpt-4o-mini", 1),
                    new LeveeEvent.AttemptSucceeded(id, at, 0, "mock/gpt-4o-mini", 1, 0.9),
                    new LeveeEvent.RequestCompleted(id, at, request, answer, null, false, AnomalyScore.NONE, Map.of(),
                            2_800L)};
        }
    }

    @Benchmark
    public int answeredRequest() {
        LeveeEvent[] events = requests[next];
        next = (next + 1) & (REQUESTS - 1);
        for (LeveeEvent e : events) {
            listener.onEvent(e);
        }
        return events.length;
    }
}
