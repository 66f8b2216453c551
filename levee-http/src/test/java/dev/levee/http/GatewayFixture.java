package dev.levee.http;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.levee.Levee;
import dev.levee.config.ConfigLoader;
import dev.levee.config.LeveeConfig;
import dev.levee.simulator.Latency;
import dev.levee.simulator.Simulator;
import dev.levee.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * A gateway on an ephemeral loopback port over a standalone simulator, on a Vert.x instance that
 * complains about any event-loop task over 100 ms — so a blocking regression shows up in tests.
 */
final class GatewayFixture implements AutoCloseable {
    final Simulator sim;
    final Vertx vertx;
    final Levee levee;
    final GatewayServer server;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ListAppender<ILoggingEvent> blocked = new ListAppender<>();

    GatewayFixture(String routesAndMore) {
        this(routesAndMore, 100);
    }

    /**
     * @param blockedThresholdMs the event-loop time that counts as blocking; load tests that saturate
     *     both cores need more, since a descheduled loop looks blocked to a wall-clock checker
     */
    GatewayFixture(String routesAndMore, long blockedThresholdMs) {
        blocked.start();
        ((Logger) LoggerFactory.getLogger("io.vertx.core.impl.BlockedThreadChecker")).addAppender(blocked);
        sim = Simulator.start(SimulatorConfig.builder().host("127.0.0.1").port(0)
                .defaultLatency(Latency.ofMillis(5, 1)).build());
        vertx = Vertx.vertx(new VertxOptions()
                .setMaxEventLoopExecuteTime(blockedThresholdMs).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setBlockedThreadCheckInterval(50).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                .setWarningExceptionTime(blockedThresholdMs).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS));
        LeveeConfig config = ConfigLoader.parse("""
                server:
                  host: 127.0.0.1
                  port: 0
                  max_body_bytes: 65536
                monitoring:
                  telemetry: { enabled: false }
                providers:
                  sim:
                    type: ollama
                    base_url: %s
                  oai:
                    type: openai
                    base_url: %s/v1
                    api_key: sk-test-gateway-secret-0123456789
                %s
                """.formatted(sim.baseUrl(), sim.baseUrl(), routesAndMore), "gateway-test.yaml", n -> null);
        levee = Levee.builder().config(config).vertx(vertx).meterRegistry(GatewayServer.prometheusRegistry()).build();
        server = GatewayServer.start(levee, config.server()).toCompletionStage().toCompletableFuture().join();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A streamed body as far as it came, and whether it ended in an I/O failure rather than cleanly. */
    record Received(String body, boolean aborted) {
    }

    /** Reads a streamed body to its end, or to the failure that ends it. */
    static Received readToEnd(HttpResponse<java.io.InputStream> r) throws java.io.IOException {
        StringBuilder received = new StringBuilder();
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(r.body(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                received.append(line).append('\n');
            }
        } catch (java.io.IOException expected) {
            return new Received(received.toString(), true);
        }
        return new Received(received.toString(), false);
    }

    /** Event-loop blocking warnings seen so far. */
    List<String> blockedThreadWarnings() {
        return blocked.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    static String chat(String model, String prompt, boolean stream) {
        return """
                {"model": "%s", "messages": [{"role": "user", "content": "%s"}], "stream": %s%s}
                """.formatted(model, prompt, stream, stream ? ", \"stream_options\": {\"include_usage\": true}" : "");
    }

    @Override
    public void close() {
        server.shutdown(Duration.ofSeconds(1)).toCompletionStage().toCompletableFuture().join();
        levee.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        sim.close();
        ((Logger) LoggerFactory.getLogger("io.vertx.core.impl.BlockedThreadChecker")).detachAppender(blocked);
    }
}
