package dev.levee.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.config.StorageConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's page and the JSON it reads, over HTTP on a team's gateway: who may read what, the
 * traffic series, the request list and drill-down, breakers with their timeline, alerts — and no
 * secret in any of them.
 */
class ConsoleApiTest {
    @TempDir
    Path dataDir;
    private TeamGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private JsonNode read(String path, String key) throws Exception {
        HttpResponse<String> r = gateway.send("GET", path, null, "authorization", "Bearer " + key);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return TeamGateway.JSON.readTree(r.body());
    }

    @Test
    void theViewsNeedTheMasterKeyOrTheMetricsTokenAndTellWhichItIs() throws Exception {
        gateway = new TeamGateway(StorageConfig.DEFAULTS.withDataDir(dataDir));
        String virtual = gateway.createKey("{\"name\":\"app\"}").get("key").asText();
        for (String path : new String[] {"/levee/session", "/levee/traffic", "/levee/requests", "/levee/alerts"}) {
            assertThat(gateway.send("GET", path, null).statusCode()).as(path).isEqualTo(401);
            assertThat(gateway.send("GET", path, null, "authorization", "Bearer " + virtual).statusCode())
                    .as(path + " with an application's key").isEqualTo(403);
        }
        assertThat(read("/levee/session", TeamGateway.MASTER).get("role").asText()).isEqualTo("admin");
        assertThat(read("/levee/session", TeamGateway.READER).get("role").asText()).isEqualTo("reader");
        assertThat(read("/levee/session", TeamGateway.READER).get("auth").asBoolean()).isTrue();
    }

    @Test
    void thePageIsServedWithAStrictPolicyAndHoldsNoData() throws Exception {
        gateway = new TeamGateway(StorageConfig.DEFAULTS.withDataDir(dataDir));
        HttpResponse<String> redirect = gateway.send("GET", "/ui", null);
        assertThat(redirect.statusCode()).isEqualTo(301);
        assertThat(redirect.headers().firstValue("location")).hasValue("/ui/");
        HttpResponse<String> page = gateway.send("GET", "/ui/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type").orElseThrow()).startsWith("text/html");
        assertThat(page.headers().firstValue("content-security-policy").orElseThrow())
                .contains("script-src 'self'").contains("frame-ancestors 'none'");
        assertThat(page.body()).contains("console.js").doesNotContain(TeamGateway.MASTER);
        assertThat(gateway.send("GET", "/ui/console.js", null).statusCode()).isEqualTo(200);
        HttpResponse<String> charts = gateway.send("GET", "/ui/vendor/echarts.min.js", null);
        assertThat(charts.statusCode()).as("ECharts from its WebJar").isEqualTo(200);
        assertThat(charts.body()).contains("echarts");
        assertThat(gateway.send("GET", "/ui/nope.js", null).statusCode()).isEqualTo(404);
    }

    @Test
    void trafficRequestsBreakersAndAlertsDescribeWhatHappened() throws Exception {
        gateway = new TeamGateway(StorageConfig.DEFAULTS.withDataDir(dataDir));
        String key = gateway.createKey("{\"name\":\"app\"}").get("key").asText();
        for (int i = 0; i < 4; i++) {
            assertThat(gateway.chat(key, "default").statusCode()).isEqualTo(200);
        }
        assertThat(gateway.chat("lv-wrong", "default").statusCode()).isEqualTo(401);

        JsonNode traffic = read("/levee/traffic", TeamGateway.READER);
        assertThat(traffic.get("bucket_seconds").asInt()).isEqualTo(5);
        JsonNode all = traffic.get("series").get(0);
        assertThat(all.get("scope").asText()).isEqualTo("all");
        assertThat(all.get("points")).hasSize(180);
        long requests = 0;
        long errors = 0;
        for (JsonNode p : all.get("points")) {
            requests += p.get("requests").asLong();
            errors += p.get("errors").asLong();
        }
        assertThat(requests).isEqualTo(5);
        assertThat(errors).as("the refused key").isEqualTo(1);
        assertThat(traffic.get("series").findValuesAsText("name")).contains("default", "local/gemma3:4b");

        JsonNode recent = read("/levee/requests?limit=3", TeamGateway.READER).get("data");
        assertThat(recent).hasSize(3);
        assertThat(recent.get(0).get("status").asText()).as("newest first: the refusal").isEqualTo("error");
        JsonNode answered = recent.get(1);
        assertThat(answered.get("route").asText()).isEqualTo("default");
        assertThat(answered.get("tokens").get("prompt").asInt()).isPositive();
        JsonNode drill = read("/levee/requests/" + answered.get("request_id").asText(), TeamGateway.READER);
        assertThat(drill.get("attempts").get(0).get("target").asText()).isEqualTo("local/gemma3:4b");
        assertThat(drill.get("attempts").get(0).get("outcome").asText()).isEqualTo("succeeded");
        HttpResponse<String> gone = gateway.send("GET", "/levee/requests/no-such-request", null, "authorization",
                "Bearer " + TeamGateway.READER);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).contains("no recent request");
        for (String bad : new String[] {"0", "501", "ten"}) {
            HttpResponse<String> r = gateway.send("GET", "/levee/requests?limit=" + bad, null, "authorization",
                    "Bearer " + TeamGateway.READER);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.body()).contains("limit");
        }

        gateway.sim.faults().set("gemma3:4b", "status=503");
        for (int i = 0; i < 6; i++) {
            gateway.chat(key, "default");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode breakers = read("/levee/breakers", TeamGateway.READER);
            assertThat(breakers.get("breakers").findValuesAsText("state")).contains("OPEN");
            JsonNode transition = breakers.get("transitions").get(0);
            assertThat(transition.get("target").asText()).isEqualTo("local/gemma3:4b");
            assertThat(transition.get("from").asText()).isEqualTo("CLOSED");
            assertThat(transition.get("to").asText()).isEqualTo("OPEN");
            assertThat(breakers.get("degradation_mode").asText()).isNotEmpty();
            JsonNode alerts = read("/levee/alerts", TeamGateway.READER).get("data");
            assertThat(alerts.findValuesAsText("kind")).contains("breaker_open");
        });

        String everything = gateway.send("GET", "/levee/requests?limit=500", null, "authorization", "Bearer "
                + TeamGateway.MASTER).body() + read("/levee/alerts", TeamGateway.MASTER)
                + read("/levee/traffic", TeamGateway.MASTER) + read("/levee/breakers", TeamGateway.MASTER);
        assertThat(everything).doesNotContain(key).doesNotContain(TeamGateway.MASTER)
                .doesNotContain(TeamGateway.READER).doesNotContain("hello there");
    }
}
