package dev.levee.internal.provider;

import dev.levee.config.ProviderConfig;
import dev.levee.config.ProviderType;
import dev.levee.internal.provider.anthropic.AnthropicAdapter;
import dev.levee.internal.provider.ollama.OllamaAdapter;
import dev.levee.internal.provider.openai.OpenAiAdapter;
import dev.levee.spi.EmbeddedProviders;
import dev.levee.spi.ProviderAdapter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;

/** Builds the adapter for a provider; an embedded (simulator) provider is started first. */
public final class Providers {
    /** An adapter, and the embedded provider behind it when there is one. */
    public record Started(ProviderAdapter adapter, EmbeddedProviders.Running embedded) {
    }

    private Providers() {
    }

    public static Future<Started> start(Vertx vertx, ProviderConfig config, EmbeddedProviders embedded) {
        if (config.type() != ProviderType.SIMULATOR) {
            return Future.succeededFuture(new Started(adapter(vertx, config, config.type(), config.baseUrl()), null));
        }
        if (embedded == null) {
            return Future.failedFuture(new IllegalStateException("provider '" + config.name()
                    + "' is of type simulator, but no simulator is on the classpath (levee-cli and the runnable jar"
                    + " bring one): add it, give one to Levee.builder().embeddedProviders(..), or point the provider"
                    + " at a real server"));
        }
        ProviderType wire = config.simulator().wire();
        return embedded.start(vertx, config)
                .map(running -> new Started(adapter(vertx, config, wire, running.baseUrl()), running));
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
