package dev.levee.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One provider: where it is, how to talk to it, and its credential.
 *
 * @param name the name routes refer to
 * @param type the wire protocol
 * @param baseUrl e.g. {@code http://localhost:11434} or {@code https://api.openai.com/v1}; null for a simulator
 * @param apiKey the credential, or {@code null}
 * @param headers extra headers sent with every request
 * @param maxConnections the connection pool size per event loop (streams hold connections: size for concurrency)
 * @param connectTimeout TCP connect timeout
 * @param receiveBufferBytes the kernel receive buffer of each connection to the provider, or 0 to leave
 *        it to the kernel's auto-tuning (which can grow it to tens of MiB, {@code net.ipv4.tcp_rmem}).
 *        A stream whose client reads slowly stops being read; what the provider already sent waits here.
 * @param simulator settings of an in-process simulator ({@code type: simulator}), else {@code null}
 */
public record ProviderConfig(
        String name,
        ProviderType type,
        URI baseUrl,
        Secret apiKey,
        Map<String, String> headers,
        int maxConnections,
        Duration connectTimeout,
        int receiveBufferBytes,
        SimulatorSettings simulator) {

    public ProviderConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        headers = Map.copyOf(headers);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max_connections must be >= 1");
        }
        if (receiveBufferBytes != 0 && receiveBufferBytes < 4096) {
            throw new IllegalArgumentException("receive_buffer_bytes must be 0 (the kernel's choice) or >= 4096");
        }
    }

    /**
     * An in-process simulator provider.
     *
     * @param wire the format the engine speaks to it (ollama, openai or anthropic)
     * @param firstToken simulated time to first token
     * @param perToken simulated delay per token
     * @param faults fault specs per model, in the simulator's grammar
     */
    public record SimulatorSettings(ProviderType wire, Duration firstToken, Duration perToken,
                                    Map<String, String> faults) {
        public SimulatorSettings {
            faults = Map.copyOf(faults);
            if (wire == ProviderType.SIMULATOR) {
                throw new IllegalArgumentException("a simulator speaks ollama, openai or anthropic");
            }
        }
    }
}
