package dev.levee.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {
    private static final String CHAT = """
            {"model": "default", "messages": [{"role": "user", "content": "%s"}]}""";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> post(int port, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheEmbeddedDefaultWithNoConfig() throws Exception {
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs("--port", "0");
        ServeCommand.Running running = command.start();
        try {
            HttpResponse<String> r = post(running.server().port(), CHAT.formatted("hello"));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("x-levee-model-used")).hasValue("gemma3:4b");
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + running.server().port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("levee_requests_total");
        } finally {
            running.stop(Duration.ofSeconds(1));
        }
    }

    @Test
    void shutdownLetsInFlightRequestsFinishAndRefusesNewOnes(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("levee.yaml");
        Files.writeString(config, """
                providers:
                  sim: { type: simulator, first_token: 1500ms, per_token: 1ms }
                routes:
                  default: { tiers: [ { target: sim/slow } ] }
                monitoring: { telemetry: { enabled: false } }
                """);
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs("--config", config.toString(), "--port", "0");
        ServeCommand.Running running = command.start();
        int port = running.server().port();

        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return post(port, CHAT.formatted("slow one"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> running.server().inFlight() == 1);
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> running.stop(Duration.ofSeconds(10)));

        assertThat(inFlight.get(20, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        stopping.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> post(port, CHAT.formatted("too late"))))
                .isInstanceOf(java.io.IOException.class); // the listener is gone
    }

    @Test
    void aPortInUseIsAClearError() throws Exception {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Cli r = Cli.run("serve", "--port", String.valueOf(socket.getLocalPort()));
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err()).contains("cannot listen on").doesNotContain("\tat ");
        }
    }
}
