package dev.levee.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.config.StorageConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/messages/count_tokens} on a team's gateway: the same keys and route rights as
 * {@code /v1/messages}, an estimate said to be one, and nothing spent — no provider call, no
 * telemetry record.
 */
class CountTokensTest {
    private static final String BODY = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";
    @TempDir
    Path dataDir;
    private TeamGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private HttpResponse<String> count(String route, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "anthropic-version";
        all[1] = "2023-06-01";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return gateway.send("POST", "/v1/messages/count_tokens", BODY.formatted(route), all);
    }

    @Test
    void aCountNeedsTheKeyAndTheRouteAndSpendsNothing() throws Exception {
        gateway = new TeamGateway(StorageConfig.DEFAULTS.withDataDir(dataDir));
        String key = gateway.createKey("{\"routes\":[\"default\"]}").get("key").asText();

        HttpResponse<String> counted = count("default", "x-api-key", key);
        assertThat(counted.statusCode()).as(counted.body()).isEqualTo(200);
        assertThat(TeamGateway.JSON.readTree(counted.body()).get("input_tokens").asInt()).isPositive();
        assertThat(counted.headers().firstValue("x-levee-token-count")).hasValue("estimated (cl100k)");

        HttpResponse<String> anonymous = count("default");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).contains("\"type\":\"error\"");
        assertThat(count("other", "x-api-key", key).statusCode()).as("a route the key may not use")
                .isEqualTo(403);
        assertThat(gateway.send("POST", "/v1/messages/count_tokens", BODY.formatted("default"), "x-api-key", key)
                .statusCode()).as("anthropic-version is required, as on /v1/messages").isEqualTo(400);

        assertThat(gateway.sim.journal().all()).as("no provider was called").isEmpty();
        assertThat(gateway.telemetry).as("no count is recorded as a request: nothing was spent; only the"
                + " unreadable one is, as every refused request is").singleElement()
                .satisfies(r -> assertThat(r.error().message()).contains("anthropic-version"));
    }
}
