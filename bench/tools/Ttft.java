import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Time to first token: sends a streaming chat request (the body file) N times, one after another on
 * one keep-alive connection, and times from the request's last byte written to the first
 * {@code data:} line of the decoded body, and to the end of the body. A raw socket keeps the
 * client's own overhead out of the figures (no client library, no selector thread).
 *
 * <pre>java -cp … Ttft URL COUNT WARMUP BODY_FILE ["Header: value" ...]</pre>
 *
 * Prints one {@code TTFT key=value …} line (microseconds) for bench/run.sh.
 */
public final class Ttft {
    private final URI uri;
    private final byte[] request;
    /** Whether the answer must be an event stream ending in {@code data: [DONE]}. */
    private final boolean events;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    Ttft(URI uri, byte[] body, List<String> headers) {
        this(uri, body, headers, true);
    }

    /** A client for any chat answer; {@code events}: it must be a complete event stream. */
    Ttft(URI uri, byte[] body, List<String> headers, boolean events) {
        this.uri = uri;
        this.events = events;
        StringBuilder head = new StringBuilder()
                .append("POST ").append(uri.getRawPath()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append(events ? "Accept: text/event-stream\r\n" : "Accept: application/json\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n");
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        this.request = Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, request, h.length, body.length);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: Ttft URL COUNT WARMUP BODY_FILE [\"Header: value\" ...]");
            System.exit(2);
        }
        Ttft client = new Ttft(URI.create(args[0]), Files.readAllBytes(Path.of(args[3])),
                List.of(args).subList(4, args.length));
        int count = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        long[] first = new long[count];
        long[] total = new long[count];
        int failures = 0;
        String lastFailure = "";
        for (int i = -warmup; i < count; i++) {
            long[] r;
            try {
                r = client.once();
            } catch (IOException e) {
                client.close();
                failures++;
                lastFailure = e.toString();
                if (failures > 10 + count / 10) {
                    throw new IOException("too many failures; last: " + lastFailure, e);
                }
                i--;
                continue;
            }
            if (i >= 0) {
                first[i] = r[0];
                total[i] = r[1];
            }
        }
        client.close();
        Arrays.sort(first);
        Arrays.sort(total);
        System.out.printf(Locale.ROOT, "TTFT n=%d failures=%d ttft_p50_us=%.1f ttft_p90_us=%.1f ttft_min_us=%.1f"
                        + " total_p50_us=%.1f total_p90_us=%.1f%n", count, failures, pct(first, 50), pct(first, 90),
                first[0] / 1e3, pct(total, 50), pct(total, 90));
        if (failures > 0) {
            System.err.println("Ttft: " + failures + " failed requests (retried); last: " + lastFailure);
        }
    }

    static double pct(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e3;
    }

    /** One request: {nanos to first data line, nanos to end of body}. */
    long[] once() throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            out = socket.getOutputStream();
        }
        long start = System.nanoTime();
        out.write(request);
        out.flush();
        String status = line();
        if (!status.startsWith("HTTP/1.1 200")) {
            throw new IOException("unexpected status: " + status);
        }
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String h; !(h = line()).isEmpty(); ) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close = true;
            }
        }
        Body body = new Body(start);
        if (chunked) {
            for (int size; (size = Integer.parseInt(line().split(";")[0].trim(), 16)) > 0; ) {
                body.read(in, size);
                line();
            }
            while (!line().isEmpty()) {
                // trailers
            }
        } else if (length >= 0) {
            body.read(in, length);
        } else {
            body.read(in, Long.MAX_VALUE);
            close = true;
        }
        long end = System.nanoTime();
        if (close) {
            close();
        }
        if (events && (body.firstData < 0 || !body.text().contains("data: [DONE]"))) {
            throw new IOException("no complete event stream in the response: " + body.text());
        }
        return new long[] {body.firstData - start, end - start};
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new EOFException("connection closed");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }

    /** The decoded body as it arrives; notes when a line starting with {@code data:} is first complete. */
    private static final class Body {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
        private final long start;
        long firstData = -1;

        Body(long start) {
            this.start = start;
        }

        /** Reads {@code n} bytes (or to the end of the stream for {@code Long.MAX_VALUE}) piece by piece. */
        void read(InputStream in, long n) throws IOException {
            byte[] buf = new byte[16 * 1024];
            while (n > 0) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, n));
                if (r < 0) {
                    if (n == Long.MAX_VALUE) {
                        return;
                    }
                    throw new EOFException("body cut short");
                }
                bytes.write(buf, 0, r);
                if (n != Long.MAX_VALUE) {
                    n -= r;
                }
                check();
            }
        }

        private void check() {
            if (firstData < 0) {
                String t = text();
                if (t.startsWith("data:") || t.contains("\ndata:")) {
                    firstData = System.nanoTime();
                }
            }
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
