package dev.levee.cli;

import dev.levee.config.ProviderConfig;
import dev.levee.spi.EmbeddedProviders;
import dev.levee.simulator.Latency;
import dev.levee.simulator.Simulator;
import dev.levee.simulator.SimulatorConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the providers of type {@code simulator} as levee's simulator on an ephemeral loopback port,
 * on levee's own Vert.x: the embedded default config and the demo need no network and no keys.
 * Found by the library through {@link java.util.ServiceLoader}; the demo makes its own, to reach the
 * simulator behind a provider and inject faults into it.
 */
public final class InProcessSimulators implements EmbeddedProviders {
    private final Map<String, Simulator> started = new ConcurrentHashMap<>();

    @Override
    public Future<Running> start(Vertx vertx, ProviderConfig provider) {
        ProviderConfig.SimulatorSettings settings = provider.simulator();
        SimulatorConfig.Builder config = SimulatorConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .defaultLatency(new Latency(settings.firstToken(), settings.perToken()));
        settings.faults().forEach(config::fault);
        return Simulator.start(vertx, config.build()).map(simulator -> {
            started.put(provider.name(), simulator);
            String path = switch (settings.wire()) {
                case OPENAI -> "/v1";
                default -> "";
            };
            URI baseUrl = URI.create(simulator.baseUrl() + path);
            return new Running() {
                @Override
                public URI baseUrl() {
                    return baseUrl;
                }

                @Override
                public Future<Void> close() {
                    started.remove(provider.name(), simulator);
                    return simulator.closeAsync();
                }
            };
        });
    }

    /** The simulator behind a provider this instance started. */
    public Optional<Simulator> simulator(String provider) {
        return Optional.ofNullable(started.get(provider));
    }
}
