package dev.levee.simulator;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for faults a real client would hide: it shows exactly which bytes
 * arrived and how the connection ended (complete, closed early, reset, or still open).
 */
final class RawHttp implements Closeable {

    enum End { COMPLETE, EOF, RESET, TIMEOUT }

    record Reply(int status, Map<String, String> headers, String body, End end, long headersAtMillis) {
    }

    private final Socket socket;
    private final InputStream in;
    private final long startNanos = System.nanoTime();

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    /** Call once per connection: the reader keeps what it buffered. */
    static RawHttp post(int port, String path, String body, Map<String, String> headers) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                .append("Content-Type: application/json\r\n");
        if (!headers.containsKey("Content-Length")) {
            head.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        out.write(bytes);
        out.flush();
        return new RawHttp(socket);
    }

    /** Reads the response until it ends, the connection ends, or nothing arrives for {@code idle}. */
    Reply read(Duration idle) throws IOException {
        socket.setSoTimeout((int) idle.toMillis());
        InputStream in = this.in;
        int status = 0;
        Map<String, String> headers = new LinkedHashMap<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        long headersAt = -1;
        try {
            String statusLine = line(in);
            headersAt = (System.nanoTime() - startNanos) / 1_000_000;
            status = Integer.parseInt(statusLine.split(" ")[1]);
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
            }
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                readChunks(in, body);
            } else {
                int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                for (int i = 0; i < length; i++) {
                    body.write(next(in));
                }
            }
            return new Reply(status, headers, body.toString(StandardCharsets.UTF_8), End.COMPLETE, headersAt);
        } catch (SocketTimeoutException e) {
            return new Reply(status, headers, body.toString(StandardCharsets.UTF_8), End.TIMEOUT, headersAt);
        } catch (EOFException e) {
            return new Reply(status, headers, body.toString(StandardCharsets.UTF_8), End.EOF, headersAt);
        } catch (SocketException e) {
            return new Reply(status, headers, body.toString(StandardCharsets.UTF_8), End.RESET, headersAt);
        }
    }

    private static void readChunks(InputStream in, ByteArrayOutputStream body) throws IOException {
        while (true) {
            int size = Integer.parseInt(line(in).trim(), 16);
            if (size == 0) {
                line(in);
                return;
            }
            for (int i = 0; i < size; i++) {
                body.write(next(in));
            }
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = next(in); c != '\n'; c = next(in)) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static int next(InputStream in) throws IOException {
        int c = in.read();
        if (c < 0) {
            throw new EOFException();
        }
        return c;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
