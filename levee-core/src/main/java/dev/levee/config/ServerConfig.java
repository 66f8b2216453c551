package dev.levee.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The gateway's HTTP server, and what it allows a client: no client can hold the server with
 * connections it never uses or requests it never finishes sending.
 *
 * @param host the interface to bind
 * @param port the port, 0 for an ephemeral one
 * @param maxBodyBytes the largest request body accepted
 * @param maxConnections open connections at most; more are closed at once
 * @param idleTimeout a connection with no traffic for this long is closed
 * @param headerTimeout a connection whose first request's headers are not in by then is closed
 * @param bodyTimeout a request whose body is not in by then, counted from its headers, is reset
 * @param maxBodyBytesInFlight the request bodies held at once, all requests together (each counted
 *        from its headers, by its Content-Length or, when chunked, as {@code maxBodyBytes}, until its
 *        answer ends); a request that would go past it is refused at once with 503 and
 *        {@code Retry-After}, before its body is read. A body costs several times its size in
 *        memory while it is parsed, counted and sent on, so this is what keeps many large prompts at
 *        once from exhausting the heap. 16 MiB by default: under the launcher's 192 MiB heap, a burst
 *        of 3.9 MB prompts to an in-process simulator left 122-133 MiB live at most with it, against
 *        165 MiB and a collector thrashing (and, one burst in a few, out of memory) with 24 MiB.
 * @param sendBufferBytes the kernel send buffer of each client connection, or 0 to leave it to the
 *        kernel's auto-tuning, which lets it grow to several MiB ({@code net.ipv4.tcp_wmem}). levee
 *        itself holds little for a client that stops reading, since it pauses the upstream; set
 *        this to bound what the kernel holds per stalled connection as well.
 */
public record ServerConfig(String host, int port, long maxBodyBytes, int maxConnections, Duration idleTimeout,
                           Duration headerTimeout, Duration bodyTimeout, long maxBodyBytesInFlight,
                           int sendBufferBytes) {
    public static final ServerConfig DEFAULTS = new ServerConfig("127.0.0.1", 4000, 4L * 1024 * 1024, 4096,
            Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(30), 16L * 1024 * 1024, 0);

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in [0, 65535]");
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("max_body_bytes must be >= 1024");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max_connections must be >= 1");
        }
        if (maxBodyBytesInFlight < maxBodyBytes) {
            throw new IllegalArgumentException("max_body_bytes_in_flight must be >= max_body_bytes (" + maxBodyBytes
                    + "): else a body of the largest size could never be admitted");
        }
        if (sendBufferBytes != 0 && sendBufferBytes < 4096) {
            throw new IllegalArgumentException("send_buffer_bytes must be 0 (the kernel's choice) or >= 4096");
        }
        for (Duration d : new Duration[] {idleTimeout, headerTimeout, bodyTimeout}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("idle_timeout, header_timeout and body_timeout must be positive");
            }
        }
    }

    /** A server at this address with the default limits. */
    public ServerConfig(String host, int port, long maxBodyBytes) {
        this(host, port, maxBodyBytes, DEFAULTS.maxConnections, DEFAULTS.idleTimeout, DEFAULTS.headerTimeout,
                DEFAULTS.bodyTimeout, Math.max(maxBodyBytes, DEFAULTS.maxBodyBytesInFlight), DEFAULTS.sendBufferBytes);
    }

    /** The same server on another interface and port. */
    public ServerConfig withAddress(String newHost, int newPort) {
        return new ServerConfig(newHost, newPort, maxBodyBytes, maxConnections, idleTimeout, headerTimeout, bodyTimeout,
                maxBodyBytesInFlight, sendBufferBytes);
    }
}
