package dev.levee.compat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.levee.Levee;
import dev.levee.config.ConfigLoader;
import dev.levee.config.LeveeConfig;
import dev.levee.config.StorageConfig;
import dev.levee.http.GatewayServer;
import dev.levee.simulator.Latency;
import dev.levee.simulator.Simulator;
import dev.levee.simulator.SimulatorConfig;
import dev.levee.spi.TelemetryRecord;
import dev.levee.store.Store;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * A gateway with authentication, keys, the usage ledger and the audit log over a store, on a
 * loopback port in front of a simulator — as a team would run it. Captures every log line and
 * telemetry record, to look for secrets in them.
 */
final class TeamGateway implements AutoCloseable {
    static final String MASTER = "lv-master-test-key-0123456789abcdef";
    static final String READER = "lv-metrics-reader-token-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();

    final Simulator sim;
    final Store store;
    final Levee levee;
    final GatewayServer server;
    final List<TelemetryRecord> telemetry = new CopyOnWriteArrayList<>();
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    TeamGateway(StorageConfig storage) {
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        sim = Simulator.start(SimulatorConfig.builder().host("127.0.0.1").port(0)
                .defaultLatency(Latency.ofMillis(5, 1)).build());
        LeveeConfig config = ConfigLoader.parse("""
                server: { host: 127.0.0.1, port: 0 }
                providers:
                  local: { type: ollama, base_url: "%s" }
                routes:
                  default:
                    tiers:
                      - target: local/gemma3:4b
                  other:
                    tiers:
                      - target: local/gemma3:1b
                pricing:
                  "gemma3:4b": { input: 1.0, output: 2.0 }
                auth: { master_key: %s, metrics_token: %s }
                limits:
                  teams:
                    search: { budget_usd: "100.00", budget_period: month }
                """.formatted(sim.baseUrl(), MASTER, READER), "team.yaml", n -> null);
        store = Store.open(storage);
        levee = Levee.builder().config(config).keyStore(store.keys()).usageSink(store.ledger())
                .listener(store.auditListener()).telemetrySink(telemetry::add)
                .meterRegistry(GatewayServer.prometheusRegistry()).build();
        server = GatewayServer.start(levee, config.server(),
                new GatewayServer.Administration(store.keys(), store.reports()))
                .toCompletionStage().toCompletableFuture().join();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/v1";
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return send(method, path, body, "authorization", "Bearer " + MASTER);
    }

    /** A new key through the admin API; returns the created key's JSON, secret included. */
    JsonNode createKey(String body) throws Exception {
        HttpResponse<String> r = admin("POST", "/levee/admin/keys", body);
        if (r.statusCode() != 201) {
            throw new AssertionError("create key: " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    HttpResponse<String> chat(String key, String route) throws Exception {
        return send("POST", "/v1/chat/completions", "{\"model\":\"" + route
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}", "authorization", "Bearer " + key);
    }

    /** Every log line, formatted, with its arguments. */
    String allLogs() {
        StringBuilder all = new StringBuilder();
        for (ILoggingEvent e : logs.list) {
            all.append(e.getFormattedMessage()).append('\n');
        }
        return all.toString();
    }

    @Override
    public void close() {
        server.shutdown(Duration.ofSeconds(1)).toCompletionStage().toCompletableFuture().join();
        levee.close();
        store.close();
        sim.close();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }
}
