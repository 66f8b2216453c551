package dev.levee.cli;

import dev.levee.config.ConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code levee train-startup}: the workload the launcher records its ahead-of-time cache on (JDK 25,
 * {@code -XX:AOTCacheOutput}). The cache holds the classes a run loaded and linked, so the training
 * has to walk the paths a real start walks: the gateway serving JSON and SSE on every wire format,
 * its error answers and admin routes, then a chat through the library as {@code levee chat} does.
 * Hidden: users never need it.
 */
@Command(name = "train-startup", hidden = true,
        description = "Runs the gateway and a chat on in-process simulators, for the launcher's AOT cache.")
final class TrainStartupCommand implements Callable<Integer> {
    private static final String CONFIG = "/dev/levee/cli/startup-training.yaml";
    /** Enough rounds for the lambdas and the adapters' rarer branches to resolve; a second or two in all. */
    private static final int ROUNDS = 20;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // A data directory of its own: training must not leave a database where the launcher ran.
        java.nio.file.Path data = java.nio.file.Files.createTempDirectory("levee-train-");
        var config = ConfigLoader.loadResource(CONFIG, "startup training config");
        ServeCommand.Running running = ServeCommand.start(config.withStorage(config.storage().withDataDir(data)));
        try {
            serve(running);
        } finally {
            running.stop(Duration.ofSeconds(5));
            deleteTree(data);
        }
        CommandLine cli = spec.root().commandLine();
        return LeveeCli.run(cli.getOut(), cli.getErr(), "chat", "--no-color", "warm up");
    }

    private static void deleteTree(java.nio.file.Path dir) throws java.io.IOException {
        try (var paths = java.nio.file.Files.walk(dir)) {
            for (java.nio.file.Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        }
    }

    /** ROUNDS of every route, JSON and SSE, plus the error answers and admin routes; fails on a surprise status. */
    private static void serve(ServeCommand.Running running) throws Exception {
        HttpClient client = running.levee().vertx().createHttpClient(new HttpClientOptions()
                .setDefaultHost("127.0.0.1").setDefaultPort(running.server().port()).setKeepAlive(true));
        try {
            for (int round = 0; round < ROUNDS; round++) {
                List<Future<Void>> calls = new ArrayList<>();
                for (String route : running.levee().config().routes().keySet()) {
                    calls.add(chat(client, route, false));
                    calls.add(chat(client, route, true));
                }
                calls.add(call(client, HttpMethod.POST, "/v1/chat/completions",
                        "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 404));
                calls.add(call(client, HttpMethod.POST, "/v1/chat/completions", "{not json", 400));
                for (String path : List.of("/health", "/health/ready", "/v1/models", "/metrics", "/levee/stats",
                        "/levee/breakers")) {
                    calls.add(call(client, HttpMethod.GET, path, null, 200));
                }
                calls.add(call(client, HttpMethod.GET, "/nowhere", null, 404));
                Future.all(calls).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } finally {
            client.close();
        }
    }

    private static Future<Void> chat(HttpClient client, String route, boolean stream) {
        return call(client, HttpMethod.POST, "/v1/chat/completions", "{\"model\":\"" + route + "\",\"stream\":" + stream
                + ",\"max_tokens\":24,\"messages\":[{\"role\":\"user\",\"content\":\"Explain circuit breakers\"}]}", 200);
    }

    /** One request, read to its end; fails unless it answered with the expected status. */
    private static Future<Void> call(HttpClient client, HttpMethod method, String path, String body, int expected) {
        RequestOptions options = new RequestOptions().setMethod(method).setURI(path)
                .putHeader("content-type", "application/json");
        return client.request(options)
                .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
                .compose(response -> response.body().compose(b -> response.statusCode() == expected
                        ? Future.succeededFuture()
                        : Future.failedFuture(new IllegalStateException(method + " " + path + " answered "
                                + response.statusCode() + " (expected " + expected + "): " + b))));
    }
}
