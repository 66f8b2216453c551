package dev.levee.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When the simulator fails on a request after reading it, the client learns at once: its connection
 * is reset. Before, the failure vanished inside a callback and the client waited for an answer that
 * never came — what a heap too small for a burst of large prompts looked like from the gateway.
 */
class IntakeFailureTest {
    private static Vertx vertx;
    private static HttpServer server;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        SimulatorConfig config = SimulatorConfig.builder().defaultLatency(Latency.NONE).build();
        ChatEndpoint chat = new ChatEndpoint(vertx, config, new FaultRules(Map.of()), new RequestJournal(),
                new AtomicInteger());
        server = vertx.createHttpServer().requestHandler(request -> chat.intake(request, new OpenAiDialect(),
                (raw, receivedAt, receivedNanos) -> {
                    throw new OutOfMemoryError("Java heap space (thrown by the test)");
                })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    @Timeout(10)
    void aFailureAfterTheBodyIsReadResetsTheConnectionInsteadOfLeavingTheClientWaiting() throws Exception {
        byte[] body = TestClient.openAiBody("gpt-4o", "hello", false, "").getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
            socket.setSoTimeout(5_000); // a hang fails the read below with a timeout, not the assertion
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nhost: sim\r\ncontent-type: application/json\r\n"
                    + "content-length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            assertThatThrownBy(() -> {
                if (in.read() < 0) {
                    throw new IOException("closed"); // an orderly close tells the client as well
                }
            }).isInstanceOf(IOException.class)
                    .satisfies(e -> assertThat(e).isNotInstanceOf(java.net.SocketTimeoutException.class));
        }
    }
}
