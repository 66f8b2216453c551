package dev.levee.otel;

import dev.levee.ChatRequest;
import dev.levee.config.LeveeConfig;
import dev.levee.config.ProviderConfig;
import dev.levee.config.ProviderType;
import dev.levee.config.RouteConfig;
import dev.levee.config.TierConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * What the configuration says about a {@code provider/model} target: its GenAI provider name and
 * the parameters a tier really sends. Reads only names, types and tier caps — never credentials.
 */
final class Targets {
    private final Map<String, String> genAiProviders = new HashMap<>();
    private final Map<String, RouteConfig> routes;

    Targets(LeveeConfig config) {
        for (ProviderConfig p : config.providers().values()) {
            ProviderType wire = p.type() == ProviderType.SIMULATOR ? p.simulator().wire() : p.type();
            genAiProviders.put(p.name(), wire.wireName());
        }
        routes = config.routes();
    }

    /** {@code openai}, {@code anthropic} or {@code ollama}: the wire the provider speaks (a simulator's too). */
    String genAiProvider(String providerName) {
        return genAiProviders.getOrDefault(providerName, providerName);
    }

    static String provider(String target) {
        int slash = target.indexOf('/');
        return slash < 0 ? target : target.substring(0, slash);
    }

    static String model(String target) {
        return target.substring(target.indexOf('/') + 1);
    }

    /** The route's tier at {@code index}, or {@code null} when the route or tier is unknown. */
    TierConfig tier(String route, int index) {
        RouteConfig r = routes.get(route);
        return r == null || index < 0 || index >= r.tiers().size() ? null : r.tiers().get(index);
    }

    /** The caller's max_tokens with the tier's cap applied (the smaller wins), as the router sends it. */
    static Integer maxTokens(ChatRequest request, TierConfig tier) {
        Integer caller = request.maxTokens();
        if (tier == null || tier.maxTokens() == null) {
            return caller;
        }
        return caller == null ? tier.maxTokens() : Math.min(caller, tier.maxTokens());
    }

    static Double temperature(ChatRequest request, TierConfig tier) {
        return tier != null && tier.temperature() != null ? tier.temperature() : request.temperature();
    }

    static Double topP(ChatRequest request, TierConfig tier) {
        return tier != null && tier.topP() != null ? tier.topP() : request.topP();
    }
}
