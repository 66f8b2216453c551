package dev.levee.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.levee.config.RouteConfig;
import dev.levee.config.TierConfig;
import dev.levee.Levee;
import dev.levee.RecentPerformance;
import dev.levee.UpstreamStats;
import dev.levee.BreakerSnapshot;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Health, readiness, models, statistics and breakers: small read-only views of the engine. */
final class AdminHandlers {
    private final Levee levee;
    private final AdminApi api;
    private final long startedEpochSeconds = System.currentTimeMillis() / 1000;

    AdminHandlers(Levee levee, AdminApi api) {
        this.levee = levee;
        this.api = api;
    }

    /** The admin API's routes, behind the guard that needs the master key; none without an administration. */
    void adminRoutes(io.vertx.ext.web.Router router) {
        if (api == null) {
            router.route("/levee/admin/*").handler(rc -> Responses.error(rc.response(), ApiError.notFound(
                    "the admin API needs a key store: run levee serve (which opens its data directory)")));
            return;
        }
        BodyHandler body = BodyHandler.create(false).setBodyLimit(64 * 1024);
        router.post("/levee/admin/keys").handler(body).handler(api::create);
        router.get("/levee/admin/keys").handler(api::list);
        router.get("/levee/admin/keys/:id").handler(api::get);
        router.delete("/levee/admin/keys/:id").handler(api::revoke);
        router.post("/levee/admin/keys/:id/rotate").handler(body).handler(api::rotate);
        router.get("/levee/admin/usage").handler(api::usage);
        router.get("/levee/admin/budgets").handler(api::budgets);
    }

    void health(RoutingContext rc) {
        Responses.json(rc.response(), 200, Json.MAPPER.createObjectNode().put("status", "ok"));
    }

    /** Ready when at least one model tier of the default route has a reachable provider and a closed breaker. */
    void ready(RoutingContext rc) {
        RouteConfig route = levee.config().route(null);
        Map<String, BreakerSnapshot> breakers = new java.util.HashMap<>();
        levee.breakers().forEach(b -> breakers.put(b.target(), b));
        List<Future<Boolean>> pings = new ArrayList<>();
        for (TierConfig tier : route.tiers()) {
            pings.add(levee.ping(tier.provider()));
        }
        Future.join(pings).onComplete(ignored -> {
            ObjectNode body = Json.MAPPER.createObjectNode();
            ArrayNode tiers = body.putArray("tiers");
            boolean ready = false;
            for (int i = 0; i < route.tiers().size(); i++) {
                TierConfig tier = route.tiers().get(i);
                boolean reachable = Boolean.TRUE.equals(pings.get(i).result());
                BreakerSnapshot breaker = breakers.get(tier.target());
                String state = breaker == null ? "CLOSED" : breaker.state();
                boolean canServe = reachable && !"OPEN".equals(state) && !"FORCED_OPEN".equals(state);
                ready |= canServe;
                tiers.addObject().put("tier", i).put("target", tier.target()).put("provider_reachable", reachable)
                        .put("breaker", state).put("can_serve", canServe);
            }
            body.put("status", ready ? "ready" : "not_ready");
            body.put("mode", levee.degradationMode().wireName());
            body.put("route", route.name());
            body.put("rule_based_fallback", route.ruleBasedFallback());
            Responses.json(rc.response(), ready ? 200 : 503, body);
        });
    }

    /**
     * {@code GET /v1/models}: the routes, as OpenAI lists models — or as Anthropic does when the
     * request carries {@code anthropic-version}, as Anthropic's SDKs send it.
     */
    void models(RoutingContext rc) {
        boolean anthropic = anthropic(rc);
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (!anthropic) {
            body.put("object", "list");
        }
        ArrayNode data = body.putArray("data");
        for (String route : levee.config().routes().keySet()) {
            data.add(anthropic ? anthropicModel(route) : model(route));
        }
        if (anthropic) {
            List<String> routes = List.copyOf(levee.config().routes().keySet());
            body.put("has_more", false).put("first_id", routes.get(0)).put("last_id", routes.get(routes.size() - 1));
        }
        Responses.json(rc.response(), 200, body);
    }

    private static boolean anthropic(RoutingContext rc) {
        return rc.request().getHeader("anthropic-version") != null;
    }

    private ObjectNode anthropicModel(String route) {
        return Json.MAPPER.createObjectNode().put("type", "model").put("id", route).put("display_name", route)
                .put("created_at", java.time.Instant.ofEpochSecond(startedEpochSeconds).toString());
    }

    /** {@code GET /v1/models/{id}}: one route, as OpenAI describes a model. */
    void model(RoutingContext rc) {
        String id = rc.pathParam("id");
        if ((id == null || !levee.config().routes().containsKey(id)) && anthropic(rc)) {
            Responses.json(rc.response(), 404, MessagesResponse.error("not_found_error", "no route named '"
                    + GatewayServer.printable(id == null ? "" : id, 100) + "' (routes: "
                    + String.join(", ", levee.config().routes().keySet()) + ")",
                    rc.response().headers().get(Responses.REQUEST_ID)));
            return;
        }
        if (id == null || !levee.config().routes().containsKey(id)) {
            Responses.error(rc.response(), new ApiError(404, "invalid_request_error", "model_not_found", "model",
                    "no route named '" + GatewayServer.printable(id == null ? "" : id, 100) + "' (routes: "
                            + String.join(", ", levee.config().routes().keySet()) + ")"));
            return;
        }
        Responses.json(rc.response(), 200, anthropic(rc) ? anthropicModel(id) : model(id));
    }

    private ObjectNode model(String route) {
        return Json.MAPPER.createObjectNode().put("id", route).put("object", "model")
                .put("created", startedEpochSeconds).put("owned_by", "levee");
    }

    void stats(RoutingContext rc) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("recent_performance", performance(levee.recentPerformance()));
        ObjectNode models = body.putObject("model_usage");
        levee.modelUsage().forEach((model, perf) -> models.set(model, performance(perf)));
        ObjectNode providers = body.putObject("providers");
        levee.providerStats().forEach((name, u) -> providers.set(name, upstream(u)));
        ObjectNode targets = body.putObject("models");
        levee.modelStats().forEach((name, u) -> targets.set(name, upstream(u)));
        ObjectNode slos = body.putObject("slo");
        for (dev.levee.SloStatus s : levee.slos()) {
            ObjectNode r = slos.putObject(s.route());
            r.putObject("availability").put("target", s.availabilityTarget()).put("requests_1h", s.requests1h())
                    .put("failed_1h", s.failed1h()).put("burn_rate_5m", s.availabilityBurn5m())
                    .put("burn_rate_1h", s.availabilityBurn1h());
            r.putObject("latency").put("target_ms", s.latencyTargetMillis()).put("percentile", s.latencyPercentile())
                    .put("slow_1h", s.slow1h()).put("burn_rate_5m", s.latencyBurn5m())
                    .put("burn_rate_1h", s.latencyBurn1h());
        }
        body.put("degradation_mode", levee.degradationMode().wireName());
        Responses.json(rc.response(), 200, body);
    }

    void breakers(RoutingContext rc) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("breakers");
        for (BreakerSnapshot b : levee.breakers()) {
            list.addObject().put("target", b.target()).put("state", b.state())
                    .put("failure_rate", b.failureRate()).put("failed_calls", b.failedCalls())
                    .put("successful_calls", b.successfulCalls()).put("consecutive_failures", b.consecutiveFailures())
                    .put("not_permitted_calls", b.notPermittedCalls());
        }
        ConsoleViews.transitions(body.putArray("transitions"), levee.breakerTransitions());
        body.put("degradation_mode", levee.degradationMode().wireName());
        Responses.json(rc.response(), 200, body);
    }

    /** Prometheus text exposition, when the engine records into a Prometheus registry. */
    void metrics(RoutingContext rc) {
        if (!(levee.meterRegistry() instanceof PrometheusMeterRegistry prometheus)) {
            Responses.error(rc.response(), ApiError.notFound(
                    "metrics are not exported: build levee with GatewayServer.prometheusRegistry()"));
            return;
        }
        rc.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(prometheus.scrape());
    }

    private static ObjectNode upstream(UpstreamStats u) {
        ObjectNode n = Json.MAPPER.createObjectNode()
                .put("calls", u.calls()).put("errors", u.errors()).put("error_rate", u.errorRate())
                .put("p50_latency_ms", u.p50LatencyMs()).put("p95_latency_ms", u.p95LatencyMs())
                .put("p99_latency_ms", u.p99LatencyMs()).put("avg_latency_ms", u.avgLatencyMs())
                .put("min_latency_ms", u.minLatencyMs()).put("max_latency_ms", u.maxLatencyMs())
                .put("prompt_tokens", u.promptTokens()).put("completion_tokens", u.completionTokens())
                .put("total_tokens", u.totalTokens());
        n.put("cost_usd", u.costUsd());
        return n;
    }

    private static ObjectNode performance(RecentPerformance p) {
        return Json.MAPPER.createObjectNode()
                .put("request_count", p.requestCount())
                .put("avg_latency_ms", p.avgLatencyMs())
                .put("max_latency_ms", p.maxLatencyMs())
                .put("min_latency_ms", p.minLatencyMs())
                .put("avg_tokens", p.avgTokens())
                .put("total_tokens", p.totalTokens())
                .put("fallback_rate", p.fallbackRate())
                .put("high_anomaly_count", p.highAnomalyCount());
    }
}
