package dev.levee.config;

import java.time.Duration;

/**
 * Who may use levee. Authentication is on exactly when a master key is set: every request then needs
 * the master key or a virtual key, and {@code /metrics} and {@code /levee/*} need the master key or
 * the metrics token. Without a master key levee is open, as a library in a process of its own is.
 *
 * @param masterKey the administrator's key ({@code auth.master_key}, or {@code LEVEE_MASTER_KEY} for
 *     {@code levee serve}); {@code null} leaves authentication off
 * @param metricsToken a read-only token for {@code /metrics} and {@code /levee/*}, or {@code null}
 * @param keyCacheTtl how long a key looked up in the key store is trusted before it is looked up again:
 *     the bound on how late another instance's revoke is seen
 * @param keyCacheStale how long the last known answer is used while the key store cannot be reached
 */
public record AuthConfig(Secret masterKey, Secret metricsToken, Duration keyCacheTtl, Duration keyCacheStale) {
    /** A master key shorter than this is refused: it would be guessable. */
    public static final int MIN_MASTER_KEY_LENGTH = 16;
    public static final AuthConfig OFF = new AuthConfig(null, null, Duration.ofSeconds(1), Duration.ofMinutes(10));

    public AuthConfig {
        if (masterKey != null && masterKey.reveal().length() < MIN_MASTER_KEY_LENGTH) {
            throw new IllegalArgumentException("master_key must be at least " + MIN_MASTER_KEY_LENGTH + " characters");
        }
        if (keyCacheTtl.isNegative() || keyCacheTtl.isZero() || keyCacheStale.compareTo(keyCacheTtl) < 0) {
            throw new IllegalArgumentException("key_cache_ttl must be positive and key_cache_stale at least as long");
        }
    }

    public boolean enabled() {
        return masterKey != null;
    }

    public AuthConfig withMasterKey(Secret key) {
        return new AuthConfig(key, metricsToken, keyCacheTtl, keyCacheStale);
    }
}
