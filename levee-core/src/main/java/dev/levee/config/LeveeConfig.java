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
        StorageConfig storage) {

    public LeveeConfig {
        Objects.requireNonNull(source, "source");
        auth = auth == null ? AuthConfig.OFF : auth;
        storage = storage == null ? StorageConfig.DEFAULTS : storage;
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
                faultInjection, pricing, monitoring, auth, storage);
    }

    /** The same configuration with another auth section (e.g. the master key from the environment). */
    public LeveeConfig withAuth(AuthConfig newAuth) {
        return new LeveeConfig(source, server, providers, routes, defaultRoute, resilience, ruleBased, logging,
                faultInjection, pricing, monitoring, newAuth, storage);
    }

    /** The same configuration with another storage section (e.g. a data directory from the command line). */
    public LeveeConfig withStorage(StorageConfig newStorage) {
        return new LeveeConfig(source, server, providers, routes, defaultRoute, resilience, ruleBased, logging,
                faultInjection, pricing, monitoring, auth, newStorage);
    }

    public RouteConfig route(String name) {
        return routes.get(name == null ? defaultRoute : name);
    }
}
