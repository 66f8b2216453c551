package dev.levee.config;

/**
 * The gateway's HTTP server.
 *
 * @param host the interface to bind
 * @param port the port, 0 for an ephemeral one
 * @param maxBodyBytes the largest request body accepted
 */
public record ServerConfig(String host, int port, long maxBodyBytes) {
    public static final ServerConfig DEFAULTS = new ServerConfig("127.0.0.1", 4000, 4L * 1024 * 1024);

    public ServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in [0, 65535]");
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("max_body_bytes must be >= 1024");
        }
    }
}
