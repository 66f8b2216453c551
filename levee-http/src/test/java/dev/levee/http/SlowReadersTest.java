package dev.levee.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.Levee;
import dev.levee.config.ConfigLoader;
import dev.levee.config.LeveeConfig;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that stop reading a long stream cost levee a small fixed buffer each, not the stream: the
 * upstream read is paused. The upstream here writes as fast as its socket takes bytes, so what it has
 * written minus what the client has read is what sits between them — in four kernel buffers, pinned
 * small on every side so they are known, and in levee. When the readers go on, every answer arrives
 * whole.
 */
class SlowReadersTest {
    private static final int READERS = 32;
    private static final int STREAM_CHUNKS = 40_000; // ~5.6 MB of upstream SSE per stream
    private static final int SOCKET_BUFFER = 64 * 1024;
    /** Four socket buffers, each of which Linux doubles for its bookkeeping. */
    private static final long KERNEL_BYTES = 4L * 2 * SOCKET_BUFFER;
    /**
     * What levee may hold per stalled stream on top of the kernel buffers: Netty's 64 KiB write
     * buffer, sixteen queued writes of at most 4 KiB, and sixteen upstream reads of at most 8 KiB
     * that Vert.x takes in before it stops reading — about 256 KiB, with room. Writing each batch
     * whole, as levee once did, holds some 900 KiB here, and more the larger the socket buffers.
     */
    private static final long LEVEE_BYTES = 512 * 1024;

    private ServerSocket upstream;
    private final List<AtomicLong> written = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Socket> clients = new ArrayList<>();
    private Levee levee;
    private GatewayServer server;

    @BeforeEach
    void start() throws IOException {
        upstream = new ServerSocket();
        upstream.bind(new InetSocketAddress("127.0.0.1", 0));
        threads.submit(this::acceptUpstreamCalls);
        LeveeConfig config = ConfigLoader.parse("""
                server:
                  host: 127.0.0.1
                  port: 0
                  send_buffer_bytes: %d
                monitoring:
                  telemetry: { enabled: false }
                providers:
                  up:
                    type: openai
                    base_url: http://127.0.0.1:%d/v1
                    receive_buffer_bytes: %d
                routes:
                  default:
                    tiers:
                      - target: up/m
                        max_tokens: 100000
                """.formatted(SOCKET_BUFFER, upstream.getLocalPort(), SOCKET_BUFFER), "slow.yaml", n -> null);
        levee = Levee.builder().config(config).logRequests(false).build();
        server = GatewayServer.start(levee, config.server()).toCompletionStage().toCompletableFuture().join();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket client : clients) {
            client.close();
        }
        threads.shutdownNow();
        upstream.close();
        server.shutdown(Duration.ofMillis(100)).toCompletionStage().toCompletableFuture().join();
        levee.close();
    }

    @Test
    void stalledReadersPauseTheirUpstreamWithinASmallBufferAndGetTheWholeAnswerLater() throws Exception {
        for (int i = 0; i < READERS; i++) {
            Socket client = new Socket();
            client.setReceiveBufferSize(SOCKET_BUFFER); // before connecting, so the window is set from the start
            client.connect(new InetSocketAddress("127.0.0.1", server.port()));
            client.setSoTimeout(30_000);
            byte[] body = """
                    {"model": "default", "stream": true, "messages": [{"role": "user", "content": "go on"}]}
                    """.getBytes(StandardCharsets.UTF_8);
            OutputStream out = client.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nhost: levee\r\ncontent-type: application/json\r\n"
                    + "content-length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            clients.add(client);
        }

        long[] plateau = waitForPlateau();
        for (int i = 0; i < READERS; i++) {
            assertThat(plateau[i]).as("upstream bytes written for stalled stream %d", i)
                    .isPositive()
                    .isLessThan(KERNEL_BYTES + LEVEE_BYTES);
        }

        List<Future<String>> reads = new ArrayList<>();
        for (Socket client : clients) {
            reads.add(threads.submit(() -> readAll(client.getInputStream())));
        }
        for (Future<String> read : reads) {
            String answer = read.get(60, TimeUnit.SECONDS);
            assertThat(answer).contains("HTTP/1.1 200").contains("w" + (STREAM_CHUNKS - 1) + "x")
                    .contains("data: [DONE]");
            assertThat(countOf(answer, "\"content\":\"w")).isEqualTo(STREAM_CHUNKS);
        }
    }

    /** Waits until no upstream stream has written anything for a while; the bytes each had written. */
    private long[] waitForPlateau() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long[] last = new long[READERS];
        int still = 0;
        while (System.nanoTime() < deadline) {
            Thread.sleep(100);
            long[] now = new long[READERS];
            synchronized (written) {
                if (written.size() < READERS) {
                    continue;
                }
                for (int i = 0; i < READERS; i++) {
                    now[i] = written.get(i).get();
                }
            }
            boolean moved = !java.util.Arrays.equals(now, last) || java.util.Arrays.stream(now).anyMatch(n -> n == 0);
            last = now;
            still = moved ? 0 : still + 1;
            if (still >= 10) {
                return now;
            }
        }
        throw new AssertionError("upstream writes never stopped: " + java.util.Arrays.toString(last));
    }

    private void acceptUpstreamCalls() {
        try {
            while (true) {
                Socket call = upstream.accept();
                AtomicLong counter = new AtomicLong();
                synchronized (written) {
                    written.add(counter);
                }
                threads.submit(() -> answer(call, counter));
            }
        } catch (IOException closed) {
            // the test is over
        }
    }

    /** An OpenAI-style stream written as fast as the socket takes it, counting what the socket took. */
    private static Void answer(Socket call, AtomicLong counter) throws IOException {
        try (call) {
            call.setSendBufferSize(SOCKET_BUFFER);
            InputStream in = new BufferedInputStream(call.getInputStream());
            int length = requestBodyLength(in);
            in.readNBytes(length);
            OutputStream out = call.getOutputStream();
            write(out, counter, "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n");
            for (int i = 0; i < STREAM_CHUNKS; i++) {
                write(out, counter, "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"w" + i + "x \"},\"finish_reason\":null}]}\n\n");
            }
            write(out, counter, "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                    + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        }
        return null;
    }

    private static void write(OutputStream out, AtomicLong counter, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        out.write(bytes); // unbuffered: returns once the kernel has taken every byte
        counter.addAndGet(bytes.length);
    }

    private static int requestBodyLength(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b; matched < 4 && (b = in.read()) >= 0; ) {
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return 0;
    }

    /** The status line and the de-chunked body of one response, read up to its last chunk. */
    private static String readAll(InputStream raw) throws IOException {
        InputStream in = new BufferedInputStream(raw);
        StringBuilder answer = new StringBuilder(line(in)).append('\n');
        while (!line(in).isEmpty()) {
            // headers: the body is what counts
        }
        for (int size; (size = Integer.parseInt(line(in), 16)) > 0; ) {
            answer.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
            line(in);
        }
        return answer.toString();
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new java.io.EOFException("the response ended early, after: " + line);
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static int countOf(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }
}
