package dev.levee.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.levee.config.StorageConfig;
import dev.levee.store.Store;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A team's gateway end to end, the same on every database: keys from the admin API used by the
 * official OpenAI SDK, 401 and 403 as the SDK sees them, revocation, usage that outlives a restart,
 * the admin API's contract, and no secret anywhere it could leak to.
 */
abstract class TeamGatewayContract {
    protected TeamGateway gateway;

    abstract StorageConfig storage();

    abstract Connection raw() throws SQLException;

    TeamGateway start() {
        gateway = new TeamGateway(storage());
        return gateway;
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static OpenAIClient sdk(TeamGateway g, String key) {
        return OpenAIOkHttpClient.builder().baseUrl(g.baseUrl()).apiKey(key).maxRetries(0).build();
    }

    private static ChatCompletion ask(OpenAIClient client, String route) {
        return client.chat().completions().create(ChatCompletionCreateParams.builder().model(route)
                .addUserMessage("Explain circuit breakers").build());
    }

    @Test
    void aKeyFromTheAdminApiWorksFromTheOpenAiSdkAndAWrongOneDoesNot() throws Exception {
        start();
        JsonNode created = gateway.createKey("{\"name\":\"ci\",\"team\":\"platform\",\"user\":\"ann\",\"rpm\":60,"
                + "\"budget_usd\":\"25.00\",\"budget_period\":\"month\",\"priority\":\"batch\"}");
        String key = created.get("key").asText();
        assertThat(key).startsWith("lv-");
        assertThat(created.get("prefix").asText()).isEqualTo(key.substring(0, 9));
        assertThat(created.get("rpm").asInt()).isEqualTo(60);
        assertThat(ask(sdk(gateway, key), "default").choices()).isNotEmpty();
        assertThatThrownBy(() -> ask(sdk(gateway, "sk-garbage"), "default"))
                .isInstanceOf(UnauthorizedException.class)
                .satisfies(e -> assertThat(((UnauthorizedException) e).code()).hasValue("invalid_api_key"));
        HttpResponse<String> none = gateway.send("POST", "/v1/chat/completions",
                "{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(TeamGateway.JSON.readTree(none.body()).at("/error/code").asText()).isEqualTo("invalid_api_key");
        assertThat(gateway.send("POST", "/v1/chat/completions",
                "{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-api-key", key)
                .statusCode()).isEqualTo(200);
    }

    @Test
    void budgetUseComesFromTheLedgerPerKeyAndTeam() throws Exception {
        start();
        JsonNode created = gateway.createKey("{\"name\":\"spender\",\"team\":\"search\",\"budget_usd\":\"0.50\","
                + "\"budget_period\":\"day\"}");
        gateway.createKey("{\"name\":\"no budget\"}");
        String key = created.get("key").asText();
        for (int i = 0; i < 3; i++) {
            assertThat(gateway.chat(key, "default").statusCode()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode rows = TeamGateway.JSON.readTree(gateway.admin("GET", "/levee/admin/budgets", null).body())
                    .get("data");
            assertThat(rows).hasSize(2);
            JsonNode mine = rows.get(0);
            assertThat(mine.get("scope").asText()).isEqualTo("key");
            assertThat(mine.get("id").asText()).isEqualTo(created.get("id").asText());
            assertThat(mine.get("period").asText()).isEqualTo("day");
            assertThat(mine.get("spent_usd").decimalValue()).isPositive();
            assertThat(mine.get("used").asDouble()).isCloseTo(mine.get("spent_usd").asDouble() / 0.5,
                    org.assertj.core.data.Offset.offset(1e-9));
            JsonNode team = rows.get(1);
            assertThat(team.get("scope").asText()).isEqualTo("team");
            assertThat(team.get("id").asText()).isEqualTo("search");
            assertThat(team.get("budget_usd").decimalValue()).isEqualByComparingTo("100.00");
            assertThat(team.get("spent_usd").decimalValue()).isEqualByComparingTo(mine.get("spent_usd").decimalValue());
        });
        assertThat(gateway.send("GET", "/levee/admin/budgets", null, "authorization", "Bearer "
                + TeamGateway.READER).statusCode()).as("the metrics token reads, it does not administer")
                .isEqualTo(403);
    }

    @Test
    void aKeyMayUseOnlyItsRoutes() throws Exception {
        start();
        String key = gateway.createKey("{\"routes\":[\"default\"]}").get("key").asText();
        assertThat(ask(sdk(gateway, key), "default").choices()).isNotEmpty();
        assertThatThrownBy(() -> ask(sdk(gateway, key), "other"))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("other");
    }

    @Test
    void aRevokedKeyIsRefusedAtOnceAndARotatedOneAfterItsGrace() throws Exception {
        start();
        JsonNode created = gateway.createKey("{\"name\":\"short-lived\"}");
        String key = created.get("key").asText();
        String id = created.get("id").asText();
        assertThat(gateway.chat(key, "default").statusCode()).isEqualTo(200);
        JsonNode rotated = TeamGateway.JSON.readTree(
                gateway.admin("POST", "/levee/admin/keys/" + id + "/rotate", "{\"grace_seconds\":0}").body());
        String newKey = rotated.get("key").asText();
        assertThat(gateway.chat(key, "default").statusCode()).isEqualTo(401);
        assertThat(gateway.chat(newKey, "default").statusCode()).isEqualTo(200);
        assertThat(gateway.admin("DELETE", "/levee/admin/keys/" + id, null).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = gateway.chat(newKey, "default");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("revoked");
        assertThat(TeamGateway.JSON.readTree(gateway.admin("GET", "/levee/admin/keys/" + id, null).body())
                .get("status").asText()).isEqualTo("revoked");
    }

    @Test
    void usageIsRecordedPerKeyAndOutlivesARestart() throws Exception {
        start();
        JsonNode created = gateway.createKey("{\"team\":\"search\"}");
        String key = created.get("key").asText();
        for (int i = 0; i < 5; i++) {
            assertThat(gateway.chat(key, "default").statusCode()).isEqualTo(200);
        }
        assertThat(gateway.chat("lv-" + "x".repeat(43), "default").statusCode()).isEqualTo(401);
        gateway.close();
        gateway = null;
        try (Store reopened = Store.open(storage())) {
            assertThat(reopened.ledgerRows()).isEqualTo(6);
            assertThat(reopened.keys().get(created.get("id").asText())).isNotNull();
        }
        start();
        JsonNode report = TeamGateway.JSON.readTree(gateway.admin("GET", "/levee/admin/usage?group_by=key", null).body());
        JsonNode mine = null;
        for (JsonNode row : report.get("data")) {
            if (created.get("id").asText().equals(row.get("group").asText())) {
                mine = row;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.get("requests").asLong()).isEqualTo(5);
        assertThat(mine.get("cost_usd").decimalValue()).isPositive();
        HttpResponse<String> csv = gateway.http.send(HttpRequest.newBuilder(gateway.uri("/levee/admin/usage?group_by=team"))
                .header("authorization", "Bearer " + TeamGateway.MASTER).header("accept", "text/csv").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(csv.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("text/csv"));
        assertThat(csv.body()).startsWith("team,requests,errors").contains("search,5,0,");
    }

    @Test
    void theAdminApiNeedsTheMasterKeyAndAnswersBadInputWith4xx() throws Exception {
        start();
        String key = gateway.createKey("{}").get("key").asText();
        assertThat(gateway.send("GET", "/levee/admin/keys", null).statusCode()).isEqualTo(401);
        assertThat(gateway.send("GET", "/levee/admin/keys", null, "authorization", "Bearer " + key).statusCode())
                .isEqualTo(403);
        assertThat(gateway.send("GET", "/metrics", null).statusCode()).isEqualTo(401);
        assertThat(gateway.send("GET", "/levee/stats", null).statusCode()).isEqualTo(401);
        assertThat(gateway.admin("GET", "/metrics", null).statusCode()).isEqualTo(200);
        assertThat(gateway.send("GET", "/health", null).statusCode()).isEqualTo(200);
        assertBadRequest(gateway.admin("POST", "/levee/admin/keys", "{not json"), null);
        assertBadRequest(gateway.admin("POST", "/levee/admin/keys", "{\"rpm\":\"many\"}"), "rpm");
        assertBadRequest(gateway.admin("POST", "/levee/admin/keys", "{\"routes\":[\"nowhere\"]}"), "routes");
        assertBadRequest(gateway.admin("POST", "/levee/admin/keys", "{\"colour\":\"red\"}"), "colour");
        assertBadRequest(gateway.admin("POST", "/levee/admin/keys", "{\"budget_usd\":5}"), null);
        assertBadRequest(gateway.admin("POST", "/levee/admin/keys", "{\"expires_at\":\"tomorrow\"}"), "expires_at");
        assertBadRequest(gateway.admin("GET", "/levee/admin/usage?group_by=colour", null), "group_by");
        assertBadRequest(gateway.admin("GET", "/levee/admin/usage?from=yesterday", null), "from");
        assertThat(gateway.admin("GET", "/levee/admin/keys/key_nope", null).statusCode()).isEqualTo(404);
        assertThat(gateway.admin("DELETE", "/levee/admin/keys/key_nope", null).statusCode()).isEqualTo(404);
        assertThat(gateway.admin("POST", "/levee/admin/keys/key_nope/rotate", "{\"grace_seconds\":-1}").statusCode())
                .isEqualTo(400);
        HttpResponse<String> inQuery = gateway.send("POST", "/v1/chat/completions?api_key=" + key,
                "{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(inQuery.statusCode()).isEqualTo(400);
        assertThat(inQuery.body()).contains("key_in_query").doesNotContain(key);
        HttpResponse<String> huge = gateway.send("GET", "/health", null, "authorization", "Bearer " + "a".repeat(20_000));
        assertThat(huge.statusCode()).isBetween(400, 499);
        assertThat(gateway.allLogs()).doesNotContain(key);
        await().atMost(Duration.ofSeconds(10)).until(() -> dump().contains("route=/levee/admin/keys"));
    }

    private static void assertBadRequest(HttpResponse<String> r, String param) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode error = TeamGateway.JSON.readTree(r.body()).get("error");
        assertThat(error.get("message").asText()).isNotBlank();
        if (param != null) {
            assertThat(error.get("param").asText()).isEqualTo(param);
        }
    }

    @Test
    void noSecretReachesLogsTelemetryMetricsTheLedgerOrTheAuditLog() throws Exception {
        start();
        String key = gateway.createKey("{\"name\":\"secretive\"}").get("key").asText();
        String wrong = "lv-" + "w".repeat(43);
        gateway.chat(key, "default");
        gateway.chat(wrong, "default");
        gateway.chat(TeamGateway.MASTER, "default");
        String metrics = gateway.admin("GET", "/metrics", null).body();
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.store.ledgerRows() >= 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.store.audit().head().seq() >= 2);
        String database = dump();
        String everything = gateway.allLogs() + gateway.telemetry + metrics + database;
        assertThat(database).contains("auth.denied").contains("key.create");
        for (String secret : List.of(key, wrong, TeamGateway.MASTER)) {
            assertThat(everything).doesNotContain(secret);
        }
        assertThat(gateway.store.audit().verify(null).ok()).isTrue();
    }

    @Test
    void aThousandConcurrentRequestsOverAHundredKeysAreAllAnsweredAndRecorded() throws Exception {
        start();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            keys.add(gateway.createKey("{\"name\":\"k" + i + "\"}").get("key").asText());
        }
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            calls.add(gateway.http.sendAsync(HttpRequest.newBuilder(gateway.uri("/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(60)).header("content-type", "application/json")
                    .header("authorization", "Bearer " + keys.get(i % 100))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"hi " + i + "\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        long ok = 0;
        for (CompletableFuture<HttpResponse<String>> c : calls) {
            ok += c.get().statusCode() == 200 ? 1 : 0;
        }
        assertThat(ok).isEqualTo(1000);
        await().atMost(Duration.ofSeconds(20)).until(() -> gateway.store.ledgerRows() == 1000);
    }

    /** Every value in the store's tables, as text. */
    private String dump() throws SQLException {
        StringBuilder all = new StringBuilder();
        try (Connection c = raw(); Statement s = c.createStatement()) {
            for (String table : List.of("virtual_keys", "usage_ledger", "audit_log")) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    while (rs.next()) {
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            all.append(rs.getString(i)).append(' ');
                        }
                        all.append('\n');
                    }
                }
            }
        }
        return all.toString();
    }
}
