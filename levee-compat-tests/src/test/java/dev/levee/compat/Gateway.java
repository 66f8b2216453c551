package dev.levee.compat;

import dev.levee.Levee;
import dev.levee.config.ConfigLoader;
import dev.levee.config.LeveeConfig;
import dev.levee.http.GatewayServer;
import dev.levee.simulator.Latency;
import dev.levee.simulator.Simulator;
import dev.levee.simulator.SimulatorConfig;
import java.time.Duration;

/** A running gateway on a loopback port over a simulator, as a client would meet it. */
final class Gateway implements AutoCloseable {
    final Simulator sim;
    final Levee levee;
    final GatewayServer server;

    Gateway() {
        this("""
                server: { host: 127.0.0.1, port: 0 }
                providers:
                  local: { type: ollama, base_url: "${SIM}" }
                  claude: { type: anthropic, base_url: "${SIM}", api_key: sk-ant-test-0000000000000000 }
                routes:
                  default:
                    tiers:
                      - target: local/gemma3:4b
                      - target: local/gemma3:1b
                        continuation: none
                      - target: claude/claude-haiku
                        supports_prefill: true
                  no-prefill:
                    tiers:
                      - target: local/gemma3:4b
                      - target: local/gemma3:1b
                        continuation: none
                resilience:
                  circuit_breaker: { consecutive_failures: 1000, window: 100, minimum_calls: 100 }
                  retry: { max_attempts: 1 }
                  timeout: { first_token: 2s, stream_idle: 500ms }
                """);
    }

    /** A gateway on {@code config}, where {@code ${SIM}} stands for the simulator's base URL. */
    Gateway(String config) {
        sim = Simulator.start(SimulatorConfig.builder().host("127.0.0.1").port(0)
                .defaultLatency(Latency.ofMillis(5, 1)).build());
        LeveeConfig parsed = ConfigLoader.parse(config.replace("${SIM}", sim.baseUrl()), "compat.yaml", n -> null);
        levee = Levee.builder().config(parsed).build();
        server = GatewayServer.start(levee, parsed.server()).toCompletionStage().toCompletableFuture().join();
    }

    /** The gateway's root, as SDKs that add {@code /v1} themselves want it. */
    String rootUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/v1";
    }

    @Override
    public void close() {
        server.shutdown(Duration.ofSeconds(1)).toCompletionStage().toCompletableFuture().join();
        levee.close();
        sim.close();
    }
}
