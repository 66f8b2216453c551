package dev.levee.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.Levee;
import dev.levee.config.ConfigLoader;
import dev.levee.config.LeveeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client cannot hold the gateway: slow headers, a stalled body, an idle connection and one
 * connection too many are each closed by the server, over raw sockets as a hostile client sends them.
 */
class ConnectionLimitsTest {
    private static Levee levee;
    private static GatewayServer server;

    @BeforeAll
    static void start() {
        LeveeConfig config = ConfigLoader.parse("""
                server:
                  host: 127.0.0.1
                  port: 0
                  max_connections: 4
                  idle_timeout: 600ms
                  header_timeout: 300ms
                  body_timeout: 300ms
                monitoring:
                  telemetry: { enabled: false }
                providers:
                  sim: { type: ollama, base_url: "http://127.0.0.1:1" }
                routes:
                  default:
                    tiers:
                      - target: sim/m
                """, "limits.yaml", n -> null);
        levee = Levee.builder().config(config).logRequests(false).build();
        server = GatewayServer.start(levee, config.server(), 1, null).toCompletionStage().toCompletableFuture().join();
    }

    @AfterAll
    static void stop() {
        server.shutdown(Duration.ofMillis(100)).toCompletionStage().toCompletableFuture().join();
        levee.close();
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(5_000);
        return s;
    }

    /** Reads until the server closes the connection; how long that took. */
    private static Duration untilClosed(Socket s) throws IOException {
        long start = System.nanoTime();
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // a response may come first; the close is what counts
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open", e);
        } catch (IOException reset) {
            // closed with a reset: closed all the same
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Test
    void headersThatNeverFinishArriving() throws IOException {
        try (Socket s = connect()) {
            send(s, "POST /v1/chat/completions HTTP/1.1\r\nHost: levee\r\n");
            assertThat(untilClosed(s)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void aBodyThatStalls() throws IOException {
        try (Socket s = connect()) {
            send(s, "POST /v1/chat/completions HTTP/1.1\r\nHost: levee\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n{\"model\":");
            assertThat(untilClosed(s)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void aBodyThatTricklesInSlowerThanTheBodyTimeoutAllows() throws Exception {
        try (Socket s = connect()) {
            send(s, "POST /v1/chat/completions HTTP/1.1\r\nHost: levee\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n{");
            long start = System.nanoTime();
            // A byte every 100 ms: never idle for the idle timeout (600 ms), never done either.
            for (int i = 0; i < 30 && !s.isClosed(); i++) {
                Thread.sleep(100);
                try {
                    send(s, " ");
                } catch (IOException closed) {
                    break;
                }
            }
            Duration closedAfter = Duration.ofNanos(System.nanoTime() - start).plus(untilClosed(s));
            assertThat(closedAfter).as("closed by the body timeout (300 ms), not after the 3 s of trickling")
                    .isLessThan(Duration.ofMillis(2_000));
        }
    }

    @Test
    void anIdleKeepAliveConnection() throws IOException {
        try (Socket s = connect()) {
            send(s, "GET /health HTTP/1.1\r\nHost: levee\r\n\r\n");
            assertThat(untilClosed(s)).isLessThan(Duration.ofSeconds(3)); // answered, then closed when idle
        }
    }

    @Test
    void oneConnectionTooMany() throws IOException {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Socket s = connect();
                send(s, "GET /health HTTP/1.1\r\nHost: levee\r\n\r\n"); // a live connection, well behaved
                held.add(s);
            }
            try (Socket extra = connect()) {
                send(extra, "GET /health HTTP/1.1\r\nHost: levee\r\n\r\n");
                byte[] buffer = new byte[512];
                int read;
                try {
                    read = extra.getInputStream().read(buffer);
                } catch (IOException reset) {
                    read = -1;
                }
                assertThat(read).as("the fifth connection is closed without an answer").isEqualTo(-1);
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
