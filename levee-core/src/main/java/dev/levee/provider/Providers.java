package dev.levee.provider;

import dev.levee.config.ProviderConfig;
import dev.levee.config.ProviderType;
import dev.levee.provider.anthropic.AnthropicAdapter;
import dev.levee.provider.ollama.OllamaAdapter;
import dev.levee.provider.openai.OpenAiAdapter;
import dev.levee.simulator.Latency;
import dev.levee.simulator.Simulator;
import dev.levee.simulator.SimulatorConfig;
import dev.levee.spi.ProviderAdapter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;

/** Builds the adapter for a provider; a simulator provider first starts its in-process server. */
public final class Providers {
    /** An adapter, and the simulator behind it when there is one. */
    public record Started(ProviderAdapter adapter, Simulator simulator) {
    }

    private Providers() {
    }

    public static Future<Started> start(Vertx vertx, ProviderConfig config) {
        if (config.type() != ProviderType.SIMULATOR) {
            return Future.succeededFuture(new Started(adapter(vertx, config, config.type(), config.baseUrl()), null));
        }
        var settings = config.simulator();
        SimulatorConfig.Builder sim = SimulatorConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .defaultLatency(new Latency(settings.firstToken(), settings.perToken()));
        settings.faults().forEach(sim::fault);
        return Simulator.start(vertx, sim.build()).map(simulator -> {
            String base = simulator.baseUrl() + (settings.wire() == ProviderType.OPENAI ? "/v1" : "");
            return new Started(adapter(vertx, config, settings.wire(), URI.create(base)), simulator);
        });
    }

    private static ProviderAdapter adapter(Vertx vertx, ProviderConfig config, ProviderType wire, URI baseUrl) {
        return switch (wire) {
            case OLLAMA -> new OllamaAdapter(vertx, config, baseUrl);
            case OPENAI -> new OpenAiAdapter(vertx, config, baseUrl);
            case ANTHROPIC -> new AnthropicAdapter(vertx, config, baseUrl);
            case SIMULATOR -> throw new IllegalArgumentException("a simulator speaks ollama, openai or anthropic");
        };
    }
}
