package dev.levee.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.levee.BreakerTransition;
import dev.levee.Levee;
import dev.levee.RaisedAlert;
import dev.levee.TrafficSeries;
import dev.levee.spi.TelemetryRecord;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;
import java.util.Locale;

/**
 * The web console at {@code /ui/} and the JSON it reads, which anyone with the master key or the
 * metrics token may call too: {@code /levee/session}, {@code /levee/traffic}, {@code /levee/requests},
 * {@code /levee/requests/{id}} and {@code /levee/alerts}. The page itself is static and holds no
 * data: everything it shows comes from these endpoints, behind the same guard as {@code /metrics}.
 */
final class ConsoleViews {
    static final int DEFAULT_REQUESTS = 50;
    static final int MAX_REQUESTS = 500;
    private static final String UI_ROOT = "dev/levee/http/ui";
    private static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist";
    // Scripts only from levee itself: a value the page shows can never run as code. ECharts writes
    // style attributes, so inline styles are allowed.
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none';"
            + " frame-ancestors 'none'; form-action 'self'";
    /** The telemetry records' own JSON: snake_case, absent fields left out (their annotations). */
    private static final ObjectMapper RECORDS = Json.MAPPER.copy()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private final Levee levee;

    ConsoleViews(Levee levee) {
        this.levee = levee;
    }

    /** The page and its assets; open to all, since they hold nothing but code. */
    static void page(Router router) {
        router.getWithRegex("/ui").handler(rc -> rc.response().setStatusCode(301).putHeader("location", "/ui/").end());
        router.route("/ui/*").handler(rc -> {
            rc.response().putHeader("content-security-policy", CSP)
                    .putHeader("x-content-type-options", "nosniff")
                    .putHeader("referrer-policy", "no-referrer")
                    .putHeader("cache-control", "no-cache");
            rc.next();
        });
        router.get("/ui/vendor/*").handler(StaticHandler.create(ECHARTS).setCachingEnabled(true));
        router.get("/ui/*").handler(StaticHandler.create(UI_ROOT).setIndexPage("index.html"));
    }

    /** Who the credential is: the console shows the key pages to the master key only. */
    void session(RoutingContext rc) {
        boolean auth = levee.config().auth().enabled();
        boolean master = auth && Credentials.isMaster(Credentials.of(rc.request()), levee.config().auth());
        Responses.json(rc.response(), 200, Json.MAPPER.createObjectNode().put("auth", auth)
                .put("role", master ? "admin" : "reader"));
    }

    void traffic(RoutingContext rc) {
        TrafficSeries t = levee.traffic();
        ObjectNode body = Json.MAPPER.createObjectNode().put("bucket_seconds", t.bucket().toSeconds())
                .put("now", t.now().toString());
        ArrayNode series = body.putArray("series");
        for (TrafficSeries.Series s : t.series()) {
            ObjectNode n = series.addObject().put("scope", s.scope().name().toLowerCase(Locale.ROOT))
                    .put("name", s.name());
            ArrayNode points = n.putArray("points");
            for (TrafficSeries.Point p : s.points()) {
                points.addObject().put("t", p.start().toEpochMilli()).put("requests", p.requests())
                        .put("errors", p.errors()).put("fallbacks", p.fallbacks())
                        .put("prompt_tokens", p.promptTokens()).put("completion_tokens", p.completionTokens())
                        .put("cost_usd", p.costUsd()).put("p50_ms", p.p50Ms()).put("p95_ms", p.p95Ms())
                        .put("p99_ms", p.p99Ms());
            }
        }
        Responses.json(rc.response(), 200, body);
    }

    void requests(RoutingContext rc) {
        String text = rc.request().getParam("limit");
        int limit;
        try {
            limit = text == null ? DEFAULT_REQUESTS : Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_REQUESTS) {
            Responses.error(rc.response(), ApiError.invalid("limit", "limit must be a whole number in [1, "
                    + MAX_REQUESTS + "]"));
            return;
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        for (TelemetryRecord r : levee.recentRequests(limit)) {
            data.add(RECORDS.valueToTree(r));
        }
        Responses.json(rc.response(), 200, body);
    }

    void request(RoutingContext rc) {
        String id = rc.pathParam("id");
        levee.recentRequest(id).ifPresentOrElse(
                r -> Responses.json(rc.response(), 200, (ObjectNode) RECORDS.valueToTree(r)),
                () -> Responses.error(rc.response(), ApiError.notFound("no recent request with id '"
                        + GatewayServer.printable(id == null ? "" : id, 100) + "' (levee keeps the last "
                        + MAX_REQUESTS + ")")));
    }

    void alerts(RoutingContext rc) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        for (RaisedAlert a : levee.recentAlerts()) {
            ObjectNode n = data.addObject().put("kind", a.kind()).put("severity", a.severity()).put("key", a.key())
                    .put("title", a.title()).put("text", a.text());
            ObjectNode fields = n.putObject("fields");
            a.fields().forEach(fields::put);
            n.put("first_seen", a.firstSeen().toString()).put("last_seen", a.lastSeen().toString())
                    .put("count", a.count()).put("resolved", a.resolved());
        }
        Responses.json(rc.response(), 200, body);
    }

    /** The breaker timeline, newest first, for {@code /levee/breakers}. */
    static void transitions(ArrayNode into, List<BreakerTransition> transitions) {
        for (BreakerTransition t : transitions) {
            into.addObject().put("at", t.at().toString()).put("target", t.target()).put("from", t.from())
                    .put("to", t.to());
        }
    }
}
