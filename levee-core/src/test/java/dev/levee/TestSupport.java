package dev.levee;

import dev.levee.config.ConfigLoader;
import dev.levee.config.LeveeConfig;
import dev.levee.simulator.Latency;
import dev.levee.simulator.Simulator;
import dev.levee.simulator.SimulatorConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** Shared fixtures: a loopback simulator, YAML configs pointing at it, a clock tests move by hand. */
public final class TestSupport {
    private TestSupport() {
    }

    /** A standalone simulator on an ephemeral 127.0.0.1 port with small, fixed latency. */
    public static Simulator simulator() {
        return Simulator.start(SimulatorConfig.builder().host("127.0.0.1").port(0)
                .defaultLatency(Latency.ofMillis(5, 1)).build());
    }

    /** Parses YAML with no environment variables. */
    public static LeveeConfig config(String yaml) {
        return ConfigLoader.parse(yaml, "test.yaml", name -> null);
    }

    /**
     * A config with one ollama provider {@code sim} at the simulator and the given routes/resilience
     * YAML appended (indented as top-level keys).
     */
    public static LeveeConfig ollamaConfig(Simulator sim, String rest) {
        return config("""
                providers:
                  sim:
                    type: ollama
                    base_url: %s
                %s
                """.formatted(sim.baseUrl(), rest));
    }

    public static Levee levee(LeveeConfig config, Clock clock) {
        return Levee.builder().config(config).clock(clock).random(new java.util.Random(42)).build();
    }

    /** A clock that only moves when told to. */
    public static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

        public void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    /** Monotonic time that only moves when told to: deadlines and latencies without sleeping. */
    public static final class ManualTicker implements Ticker {
        private final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);

        public void advance(Duration d) {
            nanos.addAndGet(d.toNanos());
        }

        @Override
        public long nanoTime() {
            return nanos.get();
        }
    }

    /** A function tool taking a city: what the simulator answers with a call of, arguments from the prompt. */
    public static Tool weatherTool() {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode schema = json.createObjectNode().put("type", "object");
        schema.putObject("properties").set("city", json.createObjectNode().put("type", "string"));
        return new Tool("get_weather", "looks up the weather", schema, null);
    }

    /** Streams {@code request}, adding each chunk to {@code chunks}; the answer, or the stream's failure. */
    public static ChatResponse streamed(Levee levee, ChatRequest request, java.util.List<ChatChunk> chunks)
            throws Exception {
        java.util.concurrent.CompletableFuture<ChatResponse> done = new java.util.concurrent.CompletableFuture<>();
        levee.stream(request, new StreamHandler() {
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
        });
        return done.get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
}
