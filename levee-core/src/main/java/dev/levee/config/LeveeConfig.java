package dev.levee.config;

import java.util.Map;
import java.util.Objects;

/**
 * The whole configuration, immutable after startup. Load it with {@link ConfigLoader}.
 *
 * @param source where it came from (a file path or "embedded default"), for error messages
 * @param defaultRoute the route used when a request names none
 */
public record LeveeConfig(
        String source,
        ServerConfig server,
        Map<String, ProviderConfig> providers,
        Map<String, RouteConfig> routes,
        String defaultRoute,
        ResilienceConfig resilience,
        RuleBasedConfig ruleBased,
        LoggingConfig logging,
        FaultInjectionConfig faultInjection,
        dev.levee.config.PriceTable pricing,
        MonitoringConfig monitoring,
        AuthConfig auth,
        StorageConfig storage,
        LimitsConfig limits,
        StateConfig state) {

    public LeveeConfig {
        Objects.requireNonNull(source, "source");
        auth = auth == null ? AuthConfig.OFF : auth;
        storage = storage == null ? StorageConfig.DEFAULTS : storage;
        limits = limits == null ? LimitsConfig.NONE : limits;
        state = state == null ? StateConfig.LOCAL : state;
        providers = Map.copyOf(providers);
        routes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(routes));
        if (!routes.containsKey(defaultRoute)) {
            throw new ConfigException(source + ": default_route: no route named '" + defaultRoute + "'");
        }
        for (RouteConfig route : routes.values()) {
            for (TierConfig tier : route.tiers()) {
                if (!providers.containsKey(tier.provider())) {
                    throw new ConfigException(source + ": routes." + route.name() + ": unknown provider '"
                            + tier.provider() + "' (known: " + String.join(", ", new java.util.TreeSet<>(providers.keySet())) + ")");
                }
            }
        }
    }

    /** The same configuration with another server section (e.g. a port from the command line). */
    public LeveeConfig withServer(ServerConfig newServer) {
        return new LeveeConfig(source, newServer, providers, routes, defaultRoute, resilience, ruleBased, logging,
                faultInjection, pricing, monitoring, auth, storage, limits, state);
    }

    /** The same configuration with another auth section (e.g. the master key from the environment). */
    public LeveeConfig withAuth(AuthConfig newAuth) {
        return new LeveeConfig(source, server, providers, routes, defaultRoute, resilience, ruleBased, logging,
                faultInjection, pricing, monitoring, newAuth, storage, limits, state);
    }

    /** The same configuration with another storage section (e.g. a data directory from the command line). */
    public LeveeConfig withStorage(StorageConfig newStorage) {
        return new LeveeConfig(source, server, providers, routes, defaultRoute, resilience, ruleBased, logging,
                faultInjection, pricing, monitoring, auth, newStorage, limits, state);
    }

    /** The same configuration with another state section (e.g. Redis from the command line). */
    public LeveeConfig withState(StateConfig newState) {
        return new LeveeConfig(source, server, providers, routes, defaultRoute, resilience, ruleBased, logging,
                faultInjection, pricing, monitoring, auth, storage, limits, newState);
    }

    /** What {@code model} costs at {@code provider}: nothing on a local one (Ollama, the simulator). */
    public Price priceOf(String provider, String model) {
        ProviderConfig p = providers.get(provider);
        boolean local = p == null || p.type() == ProviderType.OLLAMA || p.type() == ProviderType.SIMULATOR;
        return pricing.priceOf(model, local);
    }

    public RouteConfig route(String name) {
        return routes.get(name == null ? defaultRoute : name);
    }
}
