package dev.levee.compat;

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
import dev.levee.store.Store;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gateways that share one key store and one Redis — instances of one deployment, each with its own
 * Levee, HTTP server and Redis connections — in front of a simulator that streams slowly enough to
 * be cut mid-way.
 */
final class LimitedGateways implements AutoCloseable {
    static final String MASTER = "lv-master-test-key-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    final Simulator sim;
    final Store store;
    final String prefix = "levee-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    final List<Levee> levees = new ArrayList<>();
    final List<GatewayServer> servers = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** @param state the {@code state:} section's body, e.g. {@code redis: redis://127.0.0.1:6379} */
    LimitedGateways(Path dataDir, int instances, String state) {
        this(dataDir, instances, state, "");
    }

    /** @param more top-level YAML sections added to the configuration */
    LimitedGateways(Path dataDir, int instances, String state, String more) {
        sim = Simulator.start(SimulatorConfig.builder().host("127.0.0.1").port(0)
                .defaultLatency(Latency.ofMillis(5, 1))
                .latency("gemma3:1b", Latency.ofMillis(5, 100)) // the "slow" route: streams that last seconds
                .build());
        store = Store.open(StorageConfig.DEFAULTS.withDataDir(dataDir));
        LeveeConfig config = ConfigLoader.parse("""
                server: { host: 127.0.0.1, port: 0 }
                providers:
                  local: { type: ollama, base_url: "%s" }
                routes:
                  default:
                    tiers:
                      - target: local/gemma3:4b
                  slow:
                    tiers:
                      - target: local/gemma3:1b
                pricing:
                  "gemma3:4b": { input: 20, output: 40 }
                auth: { master_key: %s }
                state:
                  key_prefix: %s
                  %s
                %s
                """.formatted(sim.baseUrl(), MASTER, prefix, state.replace("\n", "\n  "), more), "limits.yaml",
                n -> null);
        for (int i = 0; i < instances; i++) {
            Levee levee = Levee.builder().config(config).keyStore(store.keys()).usageSink(store.ledger())
                    .logRequests(false).build();
            levees.add(levee);
            servers.add(GatewayServer.start(levee, config.server(),
                    new GatewayServer.Administration(store.keys(), store.reports()))
                    .toCompletionStage().toCompletableFuture().join());
        }
    }

    URI uri(int instance, String path) {
        return URI.create("http://127.0.0.1:" + servers.get(instance).port() + path);
    }

    int port(int instance) {
        return servers.get(instance).port();
    }

    HttpResponse<String> send(int instance, String method, String path, String body, String bearer)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(instance, path)).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json").header("authorization", "Bearer " + bearer)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A new key through instance 0's admin API; returns its JSON, the secret ({@code key}) and {@code id} included. */
    JsonNode createKey(String limits) throws Exception {
        HttpResponse<String> r = send(0, "POST", "/levee/admin/keys",
                "{\"name\":\"limited\"" + (limits.isEmpty() ? "" : "," + limits) + "}", MASTER);
        if (r.statusCode() != 201) {
            throw new AssertionError("create key: " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    static String chatBody(int maxTokens, boolean stream) {
        return "{\"model\":\"default\",\"max_tokens\":" + maxTokens + ",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";
    }

    HttpResponse<String> chat(int instance, String key, int maxTokens) throws Exception {
        return send(instance, "POST", "/v1/chat/completions", chatBody(maxTokens, false), key);
    }

    /** A field of a hash in the Redis at {@code port}, as redis-cli prints it ("" when absent). */
    static String redisHashField(int port, String key, String field) throws Exception {
        Process p = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port), "HGET", key, field)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        p.waitFor();
        return out;
    }

    /** A Redis server of a test's own on {@code port}, keeping nothing on disk, once it accepts connections. */
    static Process startRedis(int port) throws Exception {
        Process p = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        await("redis-server on port " + port, Duration.ofSeconds(10), () -> {
            try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", port)) {
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        return p;
    }

    /** Sends {@code signal} to the process: {@code STOP} freezes a Redis (connections open, no answer), {@code CONT} thaws it. */
    static void signal(Process process, String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
    }

    /** Polls {@code condition} every 50 ms for up to {@code max}; fails with {@code what} if it never holds. */
    static void await(String what, Duration max, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + max.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        for (GatewayServer s : servers) {
            s.shutdown(Duration.ofSeconds(1)).toCompletionStage().toCompletableFuture().join();
        }
        levees.forEach(Levee::close);
        store.close();
        sim.close();
    }
}
