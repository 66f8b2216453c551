package dev.levee.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The alert rules and the Grafana dashboard shipped in {@code deploy/} ask only for series levee
 * serves at {@code /metrics}: a renamed meter would otherwise leave a silent panel and an alert that
 * never fires. (The rules' syntax and behaviour are checked by promtool in CI.)
 */
class ShippedMonitoringTest {
    private static final String[] AUTH = {"authorization", "Bearer lv-monitoring-master-0123456789abcdef"};
    private static final String MASTER = "lv-monitoring-master-0123456789abcdef";
    private static GatewayFixture gw;

    @BeforeAll
    static void start() {
        gw = new GatewayFixture("""
                routes:
                  default:
                    tiers:
                      - target: sim/primary
                      - target: sim/backup
                resilience:
                  retry: { max_attempts: 2, base_delay: 5ms }
                pricing:
                  backup: { input: 1, output: 2 }
                auth: { master_key: %s }
                limits:
                  teams:
                    search: { budget_usd: "100.00", budget_period: month }
                """.formatted(MASTER));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void theShippedAlertRulesAndDashboardUseOnlySeriesLeveeServes() throws Exception {
        gw.post("/v1/chat/completions", GatewayFixture.chat("default", "ok", false), AUTH);
        gw.sim.faults().set("primary", "status=503");
        gw.post("/v1/chat/completions", GatewayFixture.chat("default", "a priced fallback, streamed", true), AUTH);
        gw.sim.faults().clearAll();
        HttpResponse<String> scrape = gw.get("/metrics", AUTH);
        assertThat(scrape.statusCode()).isEqualTo(200);
        Set<String> served = names(Pattern.compile("(?m)^(levee_[a-z_]+)"), scrape.body());

        Set<String> asked = new TreeSet<>();
        for (String file : List.of("../deploy/prometheus/levee-alerts.yml", "../deploy/grafana/levee-dashboard.json")) {
            asked.addAll(names(Pattern.compile("\\b(levee_[a-z_]+)"), Files.readString(Path.of(file))));
        }
        assertThat(asked).contains("levee_requests_total", "levee_breaker_state", "levee_degradation_mode",
                "levee_cost_usd_total", "levee_request_duration_seconds_bucket", "levee_fallbacks_total",
                "levee_slo_burn_rate", "levee_budget_used_ratio");
        assertThat(served).containsAll(asked);
    }

    @Test
    void statsCarryEachRoutesSloAndTheDegradationMode() throws Exception {
        gw.post("/v1/chat/completions", GatewayFixture.chat("default", "counted", false), AUTH);
        com.fasterxml.jackson.databind.JsonNode stats = Json.MAPPER.readTree(gw.get("/levee/stats", AUTH).body());
        assertThat(stats.at("/slo/default/availability/target").asDouble()).isEqualTo(0.999);
        assertThat(stats.at("/slo/default/availability/requests_1h").asLong()).isPositive();
        assertThat(stats.at("/slo/default/latency/target_ms").asDouble()).isEqualTo(500);
        assertThat(stats.at("/slo/default/latency/burn_rate_1h").isNumber()).isTrue();
        assertThat(stats.get("degradation_mode").asText()).isEqualTo("normal");
    }

    private static Set<String> names(Pattern pattern, String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
