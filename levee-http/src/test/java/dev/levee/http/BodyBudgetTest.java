package dev.levee.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.Levee;
import dev.levee.config.ConfigException;
import dev.levee.config.ConfigLoader;
import dev.levee.config.LeveeConfig;
import dev.levee.simulator.Latency;
import dev.levee.simulator.Simulator;
import dev.levee.simulator.SimulatorConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Admission by the bytes of request bodies in flight: with two 100 kB uploads under way, a third is
 * refused at once (503 and Retry-After, overloaded_error on Anthropic's API) while a
 * small one still passes; a chunked body counts as the largest allowed; finished requests free
 * their share.
 */
class BodyBudgetTest {
    private static final int BODY = 100_000;
    private static Simulator sim;
    private static Levee levee;
    private static GatewayServer server;

    @BeforeAll
    static void start() {
        sim = Simulator.start(SimulatorConfig.builder().host("127.0.0.1").port(0).defaultLatency(Latency.NONE)
                .build());
        LeveeConfig config = ConfigLoader.parse("""
                server:
                  host: 127.0.0.1
                  port: 0
                  max_body_bytes: %d
                  max_body_bytes_in_flight: 250000
                monitoring:
                  telemetry: { enabled: false }
                providers:
                  sim: { type: ollama, base_url: "%s" }
                routes:
                  default:
                    tiers:
                      - target: sim/gemma3:4b
                """.formatted(BODY, sim.baseUrl()), "budget.yaml", n -> null);
        levee = Levee.builder().config(config).logRequests(false).build();
        server = GatewayServer.start(levee, config.server(), 1, null).toCompletionStage().toCompletableFuture().join();
    }

    @AfterAll
    static void stop() {
        server.shutdown(Duration.ofMillis(100)).toCompletionStage().toCompletableFuture().join();
        levee.close();
        sim.close();
    }

    /** A chat body of exactly {@code size} bytes. */
    private static byte[] body(int size) {
        String head = "{\"model\":\"default\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"";
        String tail = "\"}]}";
        return (head + "x".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.US_ASCII);
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(10_000);
        return s;
    }

    private static void headers(Socket s, String path, String length) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: levee\r\nContent-Type: application/json\r\n"
                + "anthropic-version: 2023-06-01\r\n" + length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The status line and headers of the answer, and its body as far as the first line goes. */
    private static String answer(Socket s) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder head = new StringBuilder();
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            head.append(line).append('\n');
        }
        char[] body = new char[400];
        int n = in.read(body);
        return head + (n > 0 ? new String(body, 0, n) : "");
    }

    private static String whole(String path, byte[] body) throws IOException {
        try (Socket s = connect()) {
            headers(s, path, "Content-Length: " + body.length + "\r\n");
            s.getOutputStream().write(body);
            s.getOutputStream().flush();
            return answer(s);
        }
    }

    @Test
    void bodiesInFlightPastTheBudgetAreShedBeforeTheyAreRead() throws Exception {
        byte[] big = body(BODY);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logged);
        try (Socket first = connect(); Socket second = connect()) {
            for (Socket s : new Socket[] {first, second}) { // two uploads under way: 200 kB of 250 kB held
                headers(s, "/v1/chat/completions", "Content-Length: " + BODY + "\r\n");
                s.getOutputStream().write(big, 0, 1000);
                s.getOutputStream().flush();
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> held() == 2L * BODY);

            String refused = whole("/v1/chat/completions", big);
            assertThat(refused).startsWith("HTTP/1.1 503").contains("retry-after: 1").contains("\"code\":\"overloaded\"")
                    .contains("max_body_bytes_in_flight");
            assertThat(whole("/v1/messages", body(BODY))).startsWith("HTTP/1.1 503").contains("overloaded_error");
            try (Socket chunked = connect()) {
                headers(chunked, "/v1/chat/completions", "Transfer-Encoding: chunked\r\n");
                assertThat(answer(chunked)).as("a chunked body counts as the largest allowed")
                        .startsWith("HTTP/1.1 503");
            }
            assertThat(whole("/v1/chat/completions", body(2_000))).as("a small one fits").startsWith("HTTP/1.1 200");

            for (Socket s : new Socket[] {first, second}) {
                s.getOutputStream().write(big, 1000, BODY - 1000);
                s.getOutputStream().flush();
                assertThat(answer(s)).startsWith("HTTP/1.1 200");
            }
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> held() == 0);
        assertThat(whole("/v1/chat/completions", big)).as("their share is free again").startsWith("HTTP/1.1 200");
        root.detachAppender(logged);
        assertThat(logged.list).as("a shed request is answered once, and nothing fails after it")
                .noneMatch(e -> e.getThrowableProxy() != null);
    }

    private static long held() {
        return server.bodiesHeld();
    }

    @Test
    void aBudgetSmallerThanOneBodyIsRefusedAtLoad() {
        assertThatThrownBy(() -> ConfigLoader.parse("""
                server: { max_body_bytes: 100000, max_body_bytes_in_flight: 50000 }
                providers:
                  sim: { type: ollama, base_url: "http://127.0.0.1:1" }
                routes:
                  default: { tiers: [ { target: sim/m } ] }
                """, "small.yaml", n -> null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("max_body_bytes_in_flight");
    }
}
