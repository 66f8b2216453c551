package dev.levee.spi;

import java.util.Set;

/**
 * Who is calling, as the authentication link puts it on the request ({@link RequestContext#PRINCIPAL}):
 * the key's id and attributes, never its secret.
 *
 * @param routes the routes this caller may use; empty means every route
 * @param master whether this is the master (administrator) key
 */
public record Principal(String keyId, String name, String team, String user, Set<String> routes, KeyLimits limits,
                        boolean master) {
    /** The master key: every route, no limits. */
    public static final Principal MASTER = new Principal("master", "master", null, null, Set.of(), KeyLimits.NONE,
            true);

    public Principal {
        routes = routes == null ? Set.of() : Set.copyOf(routes);
        limits = limits == null ? KeyLimits.NONE : limits;
    }

    public boolean allowsRoute(String route) {
        return routes.isEmpty() || routes.contains(route);
    }
}
