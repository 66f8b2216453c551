package dev.levee.cli;

import dev.levee.Levee;
import dev.levee.config.ConfigLoader;
import dev.levee.config.LeveeConfig;
import dev.levee.config.Secret;
import dev.levee.http.GatewayServer;
import dev.levee.spi.KeyLimits;
import dev.levee.spi.KeySpec;
import dev.levee.store.Store;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The request path run on itself before a gateway serves anyone: a gateway of its own on a free
 * loopback port, over in-process simulators of each wire format that answer at once, with
 * authentication, a virtual key with every kind of limit, the usage ledger and the audit log in a
 * scratch data directory — driven with JSON and SSE chat requests on both chat APIs, the error
 * answers and the read-only routes. A fresh JVM runs this code in its interpreter at first and
 * compiles it as it goes; with the JIT done here, the first requests callers send do not pay for it.
 * Nothing of it is left behind: no port, no file, no log line, no metric of the real gateway.
 *
 * <p>The same workload is what the launcher's ahead-of-time cache is trained on ({@code levee
 * train-startup}), so on JDK 25 the cache holds these methods' profiles and the JIT here starts from
 * them.
 */
final class Warmup {
    private static final String CONFIG = "/dev/levee/cli/startup-training.yaml";
    /** Requests in flight at once: enough to keep both of a small machine's cores busy. */
    private static final int CALLERS = 16;
    /** How long the JIT must have compiled nothing to count as done. */
    private static final long QUIET_MILLIS = 50;
    private static final String MASTER_KEY = "warm-up-master-key-not-for-serving-0123456789";

    private final Store store;
    private final Levee levee;
    private final GatewayServer server;
    private final String virtualKey;

    private Warmup(Path data) {
        LeveeConfig config = ConfigLoader.loadResource(CONFIG, "warm-up config");
        config = config.withStorage(config.storage().withDataDir(data))
                .withAuth(config.auth().withMasterKey(Secret.ofNullable(MASTER_KEY)));
        store = Store.open(config.storage());
        virtualKey = store.keys().create(new KeySpec("warm-up", "warm-up", null, null, null,
                new KeyLimits(1_000_000_000, 2_000_000_000, 1_000_000, new BigDecimal(1_000_000), "day", "standard")),
                "warm-up").secret();
        levee = Levee.builder().config(config).logRequests(false).meterRegistry(GatewayServer.prometheusRegistry())
                .keyStore(store.keys()).usageSink(store.ledger()).listener(store.auditListener()).build();
        server = GatewayServer.start(levee, config.server(), new GatewayServer.Administration(store.keys(),
                store.reports())).toCompletionStage().toCompletableFuture().join();
    }

    /**
     * Runs rounds of the workload until {@code budget} has passed (at least one round), then takes
     * everything down again.
     *
     * @return the requests sent
     */
    static int run(Duration budget) throws Exception {
        Path data = Files.createTempDirectory("levee-warm-up-");
        try {
            Warmup warmup = new Warmup(data);
            int sent;
            try {
                sent = warmup.exercise(System.nanoTime() + budget.toNanos());
            } finally {
                warmup.close();
            }
            untilTheJitIsQuiet(budget);
            return sent;
        } finally {
            deleteTree(data);
        }
    }

    /**
     * Waits, at most {@code cap}, until the JIT has compiled nothing for a moment: the workload
     * queued compilations that would otherwise still be running, on the same cores, while the
     * first callers' requests are served.
     */
    private static void untilTheJitIsQuiet(Duration cap) throws InterruptedException {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + cap.toNanos();
        long last = jit.getTotalCompilationTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(QUIET_MILLIS);
            long now = jit.getTotalCompilationTime();
            if (now == last) {
                return;
            }
            last = now;
        }
    }

    static void deleteTree(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** One kind of request the workload sends, and the status it must answer with. */
    private record Request(String path, String key, String body, int expected) {
    }

    /** Every route on both APIs, JSON and SSE, then refusals and read-only routes. */
    private List<Request> workload() {
        List<Request> requests = new ArrayList<>();
        for (String route : levee.config().routes().keySet()) {
            for (boolean stream : new boolean[] {false, true}) {
                String body = "{\"model\":\"" + route + "\",\"stream\":" + stream + ",\"max_tokens\":24,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Explain circuit breakers\"}]}";
                requests.add(new Request("/v1/chat/completions", virtualKey, body, 200));
                requests.add(new Request("/v1/messages", virtualKey, body, 200));
            }
        }
        String hi = "{\"model\":\"default\",\"max_tokens\":24,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        requests.add(new Request("/v1/chat/completions", MASTER_KEY, hi, 200));
        requests.add(new Request("/v1/chat/completions", "lv-not-a-key", hi, 401));
        requests.add(new Request("/v1/chat/completions", virtualKey, hi.replace("default", "nope"), 404));
        requests.add(new Request("/v1/chat/completions", virtualKey, "{not json", 400));
        for (String path : List.of("/health", "/health/ready", "/v1/models", "/metrics", "/levee/stats",
                "/levee/breakers")) {
            requests.add(new Request(path, MASTER_KEY, null, 200));
        }
        requests.add(new Request("/nowhere", MASTER_KEY, null, 404));
        return requests;
    }

    /**
     * {@link #CALLERS} callers sending the workload's requests, each one after another, round the
     * list until the deadline — every request at least once; fails on a surprise status.
     *
     * @return the requests sent
     */
    private int exercise(long deadlineNanos) throws Exception {
        List<Request> workload = workload();
        HttpClient client = levee.vertx().createHttpClient(new HttpClientOptions()
                .setDefaultHost("127.0.0.1").setDefaultPort(server.port()).setKeepAlive(true),
                new io.vertx.core.http.PoolOptions().setHttp1MaxSize(CALLERS));
        java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        try {
            List<Future<Void>> callers = new ArrayList<>();
            for (int c = 0; c < CALLERS; c++) {
                callers.add(caller(client, workload, c, 0, deadlineNanos, sent));
            }
            Future.all(callers).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } finally {
            client.close();
        }
        return sent.get();
    }

    /** Caller {@code first} sends requests first, first + CALLERS, … round the list. */
    private static Future<Void> caller(HttpClient client, List<Request> workload, int first, int done,
                                       long deadlineNanos, java.util.concurrent.atomic.AtomicInteger sent) {
        int next = first + done * CALLERS;
        if (next >= workload.size() && System.nanoTime() >= deadlineNanos) {
            return Future.succeededFuture(); // the list was covered once, by all callers together, and time is up
        }
        Request r = workload.get(next % workload.size());
        return call(client, r.path, r.key, r.body, r.expected).compose(v -> {
            sent.incrementAndGet();
            return caller(client, workload, first, done + 1, deadlineNanos, sent);
        });
    }

    /** One request, read to its end; fails unless it answered with the expected status. */
    private static Future<Void> call(HttpClient client, String path, String key, String body, int expected) {
        RequestOptions options = new RequestOptions().setMethod(body == null ? HttpMethod.GET : HttpMethod.POST)
                .setURI(path).putHeader("content-type", "application/json").putHeader("authorization", "Bearer " + key);
        if (path.equals("/v1/messages")) {
            options.putHeader("anthropic-version", "2023-06-01");
        }
        return client.request(options)
                .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
                .compose(response -> response.body().compose(b -> response.statusCode() == expected
                        ? Future.succeededFuture()
                        : Future.failedFuture(new IllegalStateException(path + " answered " + response.statusCode()
                                + " (expected " + expected + "): " + b))));
    }

    private void close() {
        server.shutdown(Duration.ofSeconds(1)).toCompletionStage().toCompletableFuture().join();
        levee.close();
        store.close();
    }
}
