package dev.levee.http;

import dev.levee.Levee;
import dev.levee.RequestIds;
import dev.levee.config.AuthConfig;
import dev.levee.config.Secret;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may see what besides chat: with authentication on, {@code /metrics} and {@code /levee/*} need
 * the master key or the metrics token, and the admin API the master key; {@code /health} stays open.
 * A key in the URL is refused everywhere, before anything reads it.
 */
final class AccessGuard {
    private static final Logger log = LoggerFactory.getLogger("levee.admin");
    private final AuthConfig auth;
    private final Levee levee;

    AccessGuard(Levee levee) {
        this.levee = levee;
        this.auth = levee.config().auth();
    }

    void noKeyInQuery(RoutingContext rc) {
        if (Credentials.keyInQuery(rc.request())) {
            Responses.error(rc.response(), new ApiError(400, "invalid_request_error", "key_in_query", null,
                    "API keys are not accepted in the URL: send 'Authorization: Bearer <key>' or 'x-api-key'"));
            return;
        }
        rc.next();
    }

    /** {@code /metrics} and the read-only {@code /levee/*} views. */
    void reader(RoutingContext rc) {
        if (!auth.enabled()) {
            rc.next();
            return;
        }
        Secret credential = Credentials.of(rc.request());
        if (Credentials.isMetricsReader(credential, auth)) {
            rc.next();
        } else {
            refuse(rc, credential, "this endpoint needs the master key or the metrics token");
        }
    }

    /** The admin API: the master key only, and only when there is one. */
    void admin(RoutingContext rc) {
        if (!auth.enabled()) {
            Responses.error(rc.response(), new ApiError(403, "permission_error", "admin_disabled", null,
                    "the admin API is off: set LEVEE_MASTER_KEY (or auth.master_key) to turn authentication and"
                            + " the admin API on"));
            return;
        }
        Secret credential = Credentials.of(rc.request());
        if (Credentials.isMaster(credential, auth)) {
            rc.next();
        } else {
            refuse(rc, credential, "the admin API needs the master key");
        }
    }

    private void refuse(RoutingContext rc, Secret credential, String message) {
        // the path and why, never the credential; the audit log hears of it as of any refusal
        String reason = credential == null ? "missing" : "not_allowed";
        String path = GatewayServer.safePath(rc);
        log.warn("Access denied path={} reason={}", path, reason);
        levee.accessDenied(RequestIds.accept(rc.request().getHeader("x-request-id")), reason, path);
        if (credential == null) {
            Responses.error(rc.response(), ApiError.unauthenticated("missing API key: " + message));
        } else {
            Responses.error(rc.response(), new ApiError(403, "permission_error", "insufficient_permissions", null,
                    message));
        }
    }
}
