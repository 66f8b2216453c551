package dev.levee.bench;

import dev.levee.Levee;
import dev.levee.config.ConfigLoader;
import dev.levee.config.LeveeConfig;
import dev.levee.http.GatewayServer;
import dev.levee.spi.KeySpec;
import dev.levee.store.Store;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One chat request end to end over loopback HTTP: a Vert.x client → levee's {@link GatewayServer}
 * (request parse, engine, breaker, retry, routing, the OpenAI adapter's pooled client) → an
 * instant in-JVM upstream → back. levee is built as {@code levee serve} builds it: Prometheus
 * metrics and the telemetry file on, request logging on but at WARN (no log I/O).
 * {@code direct} sends the same request straight to the upstream, so {@code gateway − direct} is
 * what levee adds to one request. {@code team=on} adds what a team's gateway does on every request:
 * a master key, a virtual key checked per request, and the usage ledger (SQLite in a temporary data
 * directory) with the audit listener — so {@code on − off} is their cost. Run with {@code -t N} for N
 * concurrent callers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class GatewayRoundTrip {
    @Param({"json", "sse"})
    public String mode;

    @Param({"off", "on"})
    public String team;

    private Vertx upstreamVertx;
    private Vertx gatewayVertx;
    private InstantUpstream upstream;
    private Levee levee;
    private GatewayServer gateway;
    private HttpClient client;
    private Buffer body;
    private Store store;
    private java.nio.file.Path dataDir;
    private String authorization = "Bearer bench";

    @Setup(Level.Trial)
    public void start() throws Exception {
        upstreamVertx = Vertx.vertx();
        upstream = InstantUpstream.start(upstreamVertx);
        gatewayVertx = Vertx.vertx();
        LeveeConfig config = ConfigLoader.parse("""
                server:
                  host: 127.0.0.1
                  port: 0
                providers:
                  mock:
                    type: openai
                    base_url: %s
                    api_key: bench
                routes:
                  default:
                    tiers:
                      - target: mock/gpt-4o-mini
                %s
                """.formatted(upstream.baseUrl(), "on".equals(team) ? "auth: { master_key: bench-master-key-0123456789 }"
                : ""), "jmh", name -> null);
        Levee.Builder builder = Levee.builder().config(config).vertx(gatewayVertx)
                .meterRegistry(GatewayServer.prometheusRegistry());
        if ("on".equals(team)) {
            dataDir = java.nio.file.Files.createTempDirectory("levee-jmh-");
            store = Store.open(config.storage().withDataDir(dataDir));
            builder.keyStore(store.keys()).usageSink(store.ledger()).listener(store.auditListener());
            authorization = "Bearer " + store.keys().create(new KeySpec("jmh", "bench", null, null, null, null),
                    "jmh").secret();
        }
        levee = builder.build();
        gateway = GatewayServer.start(levee, config.server()).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        // The client lives with the upstream, away from the gateway's event loops.
        client = upstreamVertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(256));
        body = "sse".equals(mode) ? InstantUpstream.REQUEST_STREAM : InstantUpstream.REQUEST;
        String answer = post(gateway.port());
        if (!answer.contains("callers") || !answer.contains("fast.")) {
            throw new IllegalStateException("the gateway did not relay the upstream's answer: " + answer);
        }
    }

    @Benchmark
    public String gateway() throws Exception {
        return post(gateway.port());
    }

    @Benchmark
    public String direct() throws Exception {
        return post(upstream.port());
    }

    private String post(int port) throws Exception {
        return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                        .setURI("/v1/chat/completions").putHeader("content-type", "application/json")
                                .putHeader("authorization", authorization))
                .compose(req -> req.send(body))
                .compose(resp -> {
                    if (resp.statusCode() != 200) {
                        return resp.body().map(b -> {
                            throw new IllegalStateException("status " + resp.statusCode() + ": " + b);
                        });
                    }
                    return resp.body();
                })
                .map(b -> b.toString(StandardCharsets.UTF_8))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @TearDown(Level.Trial)
    public void stop() {
        client.close().toCompletionStage().toCompletableFuture().join();
        gateway.shutdown(Duration.ofSeconds(1)).toCompletionStage().toCompletableFuture().join();
        levee.close();
        if (store != null) {
            store.close();
        }
        upstream.close();
        gatewayVertx.close().toCompletionStage().toCompletableFuture().join();
        upstreamVertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
