package dev.levee.spi;

import java.time.Instant;
import java.util.Set;

/**
 * A virtual key as the key store holds it: never its secret, which exists only once, at creation.
 *
 * @param id the key's stable id ({@code key_…}): what logs, the ledger and the audit log name
 * @param prefix the first characters of the secret, to recognise a key in a list
 * @param routes the routes the key may use; empty means every route
 * @param expiresAt when the key stops working, or {@code null} for never
 * @param revokedAt when the key was revoked, or {@code null}
 */
public record VirtualKey(String id, String prefix, String name, String team, String user, Set<String> routes,
                         Instant createdAt, Instant expiresAt, Instant revokedAt, KeyLimits limits) {
    public VirtualKey {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id is required");
        }
        routes = routes == null ? Set.of() : Set.copyOf(routes);
        limits = limits == null ? KeyLimits.NONE : limits;
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    public boolean allowsRoute(String route) {
        return routes.isEmpty() || routes.contains(route);
    }

    public Principal principal() {
        return new Principal(id, name, team, user, routes, limits, false);
    }
}
