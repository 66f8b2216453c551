package dev.levee.http;

import dev.levee.config.AuthConfig;
import dev.levee.config.Secret;
import dev.levee.spi.ApiKeys;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;
import java.util.Set;

/**
 * Where a caller's key is read from: {@code Authorization: Bearer <key>} or {@code x-api-key} (what
 * the OpenAI and Anthropic SDKs send) — never the URL, where proxies and access logs would keep it.
 * The key is wrapped in a {@link Secret} at once, so it never prints.
 */
final class Credentials {
    /** Query parameters that look like a key: refused, so that no client gets used to sending one there. */
    private static final Set<String> KEY_PARAMETERS = Set.of("key", "api_key", "api-key", "apikey", "access_token",
            "token", "x-api-key");
    private static final int MAX_KEY_LENGTH = 512;

    private Credentials() {
    }

    /** The caller's key, or {@code null}. Overlong values count as none (and are refused as missing). */
    static Secret of(HttpServerRequest request) {
        String auth = request.getHeader("authorization");
        String key = null;
        if (auth != null && auth.length() > 7 && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = auth.substring(7).trim();
        } else if (request.getHeader("x-api-key") != null) {
            key = request.getHeader("x-api-key").trim();
        }
        return key == null || key.length() > MAX_KEY_LENGTH ? null : Secret.ofNullable(key);
    }

    /** Whether the URL carries a parameter that looks like a key. */
    static boolean keyInQuery(HttpServerRequest request) {
        String query = request.query();
        if (query == null || query.isEmpty()) {
            return false;
        }
        for (String name : request.params().names()) {
            if (KEY_PARAMETERS.contains(name.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    static boolean isMaster(Secret credential, AuthConfig auth) {
        return credential != null && auth.masterKey() != null
                && ApiKeys.sameSecret(credential.reveal(), auth.masterKey().reveal());
    }

    static boolean isMetricsReader(Secret credential, AuthConfig auth) {
        return isMaster(credential, auth) || credential != null && auth.metricsToken() != null
                && ApiKeys.sameSecret(credential.reveal(), auth.metricsToken().reveal());
    }
}
