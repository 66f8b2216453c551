package dev.levee.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile client once did to levee, at the scale it was done, against {@code levee serve} from
 * the jar with the launcher's heap (192 MiB, serial collector): thousands of invented model names,
 * 32 prompts of 3.9 MB at once, and 32 clients that stop reading long streams — each of which used to
 * end in OutOfMemoryError. Afterwards, with the readers still stalled, the gateway answers a chat and
 * its metrics, and nothing ran out of memory.
 */
class HostileClientsJarIT {
    private static final int NAMES = 5_000;
    private static final int LARGE_PROMPTS = 32;
    private static final int STALLED_READERS = 32;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void inventedNamesLargePromptsAndStalledReadersLeaveTheGatewayAnswering(@TempDir Path dir) throws Exception {
        ExecutorService threads = Executors.newCachedThreadPool();
        HttpServer upstream = longStreams(threads);
        Path config = dir.resolve("levee.yaml");
        Files.writeString(config, """
                server: { host: 127.0.0.1 }
                providers:
                  sim: { type: simulator, wire: openai, first_token: 5ms, per_token: 1ms }
                  up: { type: openai, base_url: "http://127.0.0.1:%d/v1" }
                routes:
                  default:
                    tiers:
                      - target: sim/gpt-4o-mini
                  long:
                    tiers:
                      - target: up/m
                """.formatted(upstream.getAddress().getPort()));
        ServeProcess levee = ServeProcess.start(dir, List.of("-Xms128m", "-Xmx192m", "-XX:+UseSerialGC", "-XX:SurvivorRatio=4"), // the launcher's
                "--config", config.toString(), "--data-dir", dir.resolve("data").toString());
        List<Socket> readers = new ArrayList<>();
        try {
            URI base = levee.base;

            // Thousands of invented model names: each a 404, none a metric series or per-model state.
            List<CompletableFuture<HttpResponse<String>>> names = new ArrayList<>();
            for (int i = 0; i < NAMES; i++) {
                names.add(http.sendAsync(chat(base, "invented-model-" + i, "hi", false),
                        HttpResponse.BodyHandlers.ofString()));
                if (names.size() == 64) {
                    for (var r : names) {
                        assertThat(r.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(404);
                    }
                    names.clear();
                }
            }

            // Large prompts at once: admitted while the bytes in flight allow, else a 503 to retry.
            String large = "flood ".repeat(650_000); // 3.9 MB
            List<CompletableFuture<HttpResponse<String>>> prompts = new ArrayList<>();
            for (int i = 0; i < LARGE_PROMPTS; i++) {
                prompts.add(http.sendAsync(chat(base, "default", large, false), HttpResponse.BodyHandlers.ofString()));
            }
            int answered = 0;
            for (var p : prompts) {
                HttpResponse<String> r = p.get(60, TimeUnit.SECONDS);
                assertThat(r.statusCode()).as(r.body()).isIn(200, 503);
                answered += r.statusCode() == 200 ? 1 : 0;
            }
            assertThat(answered).as("large prompts answered").isPositive();

            // Readers that stop reading long streams.
            for (int i = 0; i < STALLED_READERS; i++) {
                Socket reader = new Socket("127.0.0.1", base.getPort());
                readers.add(reader);
                byte[] body = "{\"model\":\"long\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}"
                        .getBytes(StandardCharsets.UTF_8);
                OutputStream out = reader.getOutputStream();
                out.write(("POST /v1/chat/completions HTTP/1.1\r\nhost: levee\r\ncontent-type: application/json\r\n"
                        + "content-length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            }
            Thread.sleep(3_000); // the streams run until every upstream is paused

            HttpResponse<String> answer = http.send(chat(base, "default", "still there?", false),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("levee_requests_total").doesNotContain("invented-model-");
            assertThat(levee.process.isAlive()).isTrue();
        } finally {
            for (Socket reader : readers) {
                reader.close();
            }
            levee.close();
            upstream.stop(0);
            threads.shutdownNow();
        }
        assertThat(Files.readString(dir.resolve("err.txt"))).doesNotContain("OutOfMemoryError");
    }

    private static HttpRequest chat(URI base, String model, String prompt, boolean stream) {
        String body = "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
        return HttpRequest.newBuilder(base.resolve("/v1/chat/completions")).timeout(Duration.ofSeconds(60))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** An OpenAI-style upstream whose every answer is a ~5.6 MB stream, written as fast as it is taken. */
    private static HttpServer longStreams(ExecutorService threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(threads);
        server.createContext("/v1/chat/completions", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
                exchange.getResponseHeaders().add("content-type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                for (int i = 0; i < 40_000; i++) {
                    out.write(("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"w" + i + "x \"},\"finish_reason\":null}]}\n\n")
                            .getBytes(StandardCharsets.US_ASCII));
                }
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException gone) {
                // the reader went away: the gateway reset the stream
            }
        });
        server.start();
        return server;
    }
}
