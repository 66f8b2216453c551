package dev.levee.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.levee.Levee;
import dev.levee.spi.IssuedKey;
import dev.levee.spi.KeyAdmin;
import dev.levee.spi.KeySpec;
import dev.levee.spi.UsageReports;
import dev.levee.spi.VirtualKey;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /levee/admin/keys} and {@code /levee/admin/usage}, for the master key. The key store and
 * the ledger block (a database), so each call runs on a worker thread and answers back on the event
 * loop. Bad input is a 400 naming the field; a store that fails is a 503 — never a 500.
 */
final class AdminApi {
    private static final Logger log = LoggerFactory.getLogger("levee.admin");
    static final Duration DEFAULT_GRACE = Duration.ofHours(1);
    static final Duration MAX_GRACE = Duration.ofDays(30);

    private final Levee levee;
    private final KeyAdmin keys;
    private final UsageReports usage;

    AdminApi(Levee levee, GatewayServer.Administration admin) {
        this.levee = levee;
        this.keys = admin.keys();
        this.usage = admin.usage();
    }

    void create(RoutingContext rc) {
        KeySpec spec;
        try {
            spec = KeyRequests.spec(body(rc), Instant.now());
            for (String route : spec.routes()) {
                if (levee.config().routes().get(route) == null) {
                    throw new ChatCompletionRequest.Invalid("routes", "no route named '" + route + "' (routes: "
                            + String.join(", ", levee.config().routes().keySet()) + ")");
                }
            }
        } catch (ChatCompletionRequest.Invalid e) {
            Responses.error(rc.response(), e.error);
            return;
        }
        blocking(rc, () -> keys.create(spec, "master"), issued -> issuedJson(issued), 201);
    }

    void list(RoutingContext rc) {
        blocking(rc, keys::list, all -> {
            ObjectNode body = Json.MAPPER.createObjectNode().put("object", "list");
            ArrayNode data = body.putArray("data");
            Instant now = Instant.now();
            all.forEach(k -> data.add(KeyRequests.json(k, now)));
            return body;
        }, 200);
    }

    void get(RoutingContext rc) {
        String id = rc.pathParam("id");
        blocking(rc, () -> keys.get(id), k -> k == null ? null : KeyRequests.json(k, Instant.now()), 200);
    }

    void revoke(RoutingContext rc) {
        String id = rc.pathParam("id");
        blocking(rc, () -> keys.revoke(id, "master"), k -> {
            levee.keysChanged(); // at once on this instance; the others within their cache ttl
            return k == null ? null : KeyRequests.json(k, Instant.now());
        }, 200);
    }

    void rotate(RoutingContext rc) {
        String id = rc.pathParam("id");
        Duration grace;
        try {
            grace = grace(rc);
        } catch (ChatCompletionRequest.Invalid e) {
            Responses.error(rc.response(), e.error);
            return;
        }
        blocking(rc, () -> keys.rotate(id, grace, "master"), issued -> {
            levee.keysChanged();
            return issued == null ? null : issuedJson(issued).put("previous_key_valid_until",
                    Instant.now().plus(grace).toString());
        }, 200);
    }

    void usage(RoutingContext rc) {
        UsageReports.Query query;
        try {
            query = UsageQueries.parse(rc.request().params());
        } catch (ChatCompletionRequest.Invalid e) {
            Responses.error(rc.response(), e.error);
            return;
        }
        boolean csv = String.valueOf(rc.request().getHeader("accept")).contains("text/csv");
        levee.vertx().executeBlocking(() -> usage.report(query), false).onComplete(ar -> {
            if (ar.failed()) {
                storeFailed(rc, ar.cause());
            } else if (csv) {
                rc.response().putHeader("content-type", "text/csv; charset=utf-8")
                        .end(UsageQueries.csv(query, ar.result()));
            } else {
                Responses.json(rc.response(), 200, UsageQueries.json(query, ar.result()));
            }
        });
    }

    /**
     * {@code GET /levee/admin/budgets}: each budgeted key and team — its own budget or the config's
     * default — with what the ledger says it spent in the current period (UTC day, week from Monday,
     * month). The ledger is shared by every instance, so this is the team's figure, not one process's.
     */
    void budgets(RoutingContext rc) {
        Instant now = Instant.now();
        levee.vertx().executeBlocking(() -> Budgets.report(levee.config().limits(), keys.list(), usage, now), false)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        storeFailed(rc, ar.cause());
                    } else {
                        Responses.json(rc.response(), 200, ar.result());
                    }
                });
    }

    private static ObjectNode issuedJson(IssuedKey issued) {
        ObjectNode n = KeyRequests.json(issued.key(), Instant.now());
        n.put("key", issued.secret()); // shown this once: only its hash is kept
        return n;
    }

    private static Duration grace(RoutingContext rc) throws ChatCompletionRequest.Invalid {
        JsonNode body = rc.body() == null || rc.body().length() == 0 ? null : body(rc);
        JsonNode seconds = body == null ? null : body.get("grace_seconds");
        if (seconds == null || seconds.isNull()) {
            return DEFAULT_GRACE;
        }
        if (!seconds.canConvertToLong() || !seconds.isIntegralNumber() || seconds.asLong() < 0
                || seconds.asLong() > MAX_GRACE.toSeconds()) {
            throw new ChatCompletionRequest.Invalid("grace_seconds", "grace_seconds must be a whole number in [0, "
                    + MAX_GRACE.toSeconds() + "]");
        }
        return Duration.ofSeconds(seconds.asLong());
    }

    private static JsonNode body(RoutingContext rc) throws ChatCompletionRequest.Invalid {
        if (rc.body() == null || rc.body().length() == 0) {
            throw new ChatCompletionRequest.Invalid(null, "the request body is empty: send a JSON object");
        }
        try {
            return Json.parse(rc.body().buffer());
        } catch (IOException e) {
            throw new ChatCompletionRequest.Invalid(null, "the request body is not valid JSON");
        }
    }

    /** Runs {@code work} on a worker; answers {@code status} with its JSON, 404 for null, 400/503 for failures. */
    private <T> void blocking(RoutingContext rc, Callable<T> work, java.util.function.Function<T, ObjectNode> render,
                              int status) {
        Future<T> done = levee.vertx().executeBlocking(work, false);
        done.onComplete(ar -> {
            if (ar.failed()) {
                storeFailed(rc, ar.cause());
                return;
            }
            ObjectNode body = render.apply(ar.result());
            if (body == null) {
                Responses.error(rc.response(), ApiError.notFound("no key with id '" + printable(rc.pathParam("id"))
                        + "'"));
            } else {
                Responses.json(rc.response(), status, body);
            }
        });
    }

    private static void storeFailed(RoutingContext rc, Throwable error) {
        if (error instanceof IllegalArgumentException) {
            Responses.error(rc.response(), ApiError.invalid(null, error.getMessage()));
            return;
        }
        log.error("admin API: the store failed on {} {}: {}", rc.request().method(), rc.request().path(),
                error.toString());
        Responses.error(rc.response(), new ApiError(503, "service_unavailable", "storage_unavailable", null,
                "the key store or ledger is unavailable; try again"));
    }

    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 100 ? p.substring(0, 100) + "..." : p;
    }
}
