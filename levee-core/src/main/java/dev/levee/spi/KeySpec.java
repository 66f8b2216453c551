package dev.levee.spi;

import java.time.Instant;
import java.util.Set;

/** What a new virtual key is to be: {@link VirtualKey} without what the store assigns. */
public record KeySpec(String name, String team, String user, Set<String> routes, Instant expiresAt,
                      KeyLimits limits) {
    public static final int MAX_TEXT = 200;

    public KeySpec {
        text("name", name);
        text("team", team);
        text("user", user);
        routes = routes == null ? Set.of() : Set.copyOf(routes);
        for (String r : routes) {
            text("routes", r);
            if (r == null || r.isBlank()) {
                throw new IllegalArgumentException("routes must not contain blank names");
            }
        }
        limits = limits == null ? KeyLimits.NONE : limits;
    }

    private static void text(String field, String value) {
        if (value != null && (value.length() > MAX_TEXT || value.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException(field + " must be at most " + MAX_TEXT
                    + " characters without control characters");
        }
    }
}
