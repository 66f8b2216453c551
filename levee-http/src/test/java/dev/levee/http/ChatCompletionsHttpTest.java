package dev.levee.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.simulator.ResponseGenerator;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible endpoint over raw HTTP: shapes, headers, every status. */
class ChatCompletionsHttpTest {
    private static GatewayFixture gw;

    @BeforeAll
    static void start() {
        gw = new GatewayFixture("""
                routes:
                  default:
                    tiers:
                      - target: sim/gemma3:4b
                      - target: sim/gemma3:1b
                        max_tokens: 50
                  strict:
                    tiers:
                      - target: sim/strict-model
                    rule_based_fallback: false
                  openai:
                    tiers:
                      - target: oai/gpt-4o-mini
                resilience:
                  circuit_breaker: { consecutive_failures: 1000, window: 100, minimum_calls: 100 }
                  retry: { max_attempts: 1 }
                  timeout: { base: 1s, per_token: 0ms, max: 1s }
                """);
    }

    @AfterAll
    static void stop() {
        gw.close();
        assertThat(gw.blockedThreadWarnings()).isEmpty();
    }

    @BeforeEach
    void reset() {
        gw.sim.faults().clearAll();
        gw.sim.journal().clear();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Sse.JSON.readTree(r.body());
    }

    private static void assertOpenAiError(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        JsonNode error = json(r).path("error");
        assertThat(error.path("message").isTextual()).as(r.body()).isTrue();
        assertThat(error.path("type").isTextual()).isTrue();
        assertThat(error.has("param")).isTrue();
        assertThat(error.has("code")).isTrue();
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void completionHasTheOpenAiShapeAndLeveeHeaders() throws Exception {
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayFixture.chat("default", "Explain SSE", false),
                "X-Request-Id", "client-req-42");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-request-id")).hasValue("client-req-42");
        assertThat(r.headers().firstValue("x-levee-model-used")).hasValue("gemma3:4b");
        assertThat(r.headers().firstValue("x-levee-fallback-level")).hasValue("0");
        JsonNode body = json(r);
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("id").asText()).isEqualTo("chatcmpl-client-req-42");
        assertThat(body.path("model").asText()).isEqualTo("gemma3:4b");
        assertThat(body.path("created").asLong()).isPositive();
        assertThat(body.path("choices").path(0).path("message").path("content").asText())
                .isEqualTo(ResponseGenerator.answerFor("Explain SSE"));
        assertThat(body.path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
        assertThat(body.path("usage").path("total_tokens").asInt()).isPositive();
    }

    @Test
    void aRequestIdIsGeneratedWhenTheIncomingOneIsMissingOrUnsafe() throws Exception {
        HttpResponse<String> none = gw.post("/v1/chat/completions", GatewayFixture.chat("default", "hi", false));
        assertThat(none.headers().firstValue("x-request-id")).hasValueSatisfying(v -> assertThat(v).hasSize(36));
        HttpResponse<String> tooLong = gw.post("/v1/chat/completions", GatewayFixture.chat("default", "hi", false),
                "X-Request-Id", "x".repeat(500));
        assertThat(tooLong.headers().firstValue("x-request-id")).hasValueSatisfying(v -> assertThat(v).hasSize(36));
    }

    @Test
    void fallbackIsVisibleInTheHeadersAndTheModel() throws Exception {
        gw.sim.faults().set("gemma3:4b", "status=503");
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayFixture.chat("default", "hi", false));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-levee-model-used")).hasValue("gemma3:1b");
        assertThat(r.headers().firstValue("x-levee-fallback-level")).hasValue("1");
        assertThat(json(r).path("model").asText()).isEqualTo("gemma3:1b");
    }

    @Test
    void ruleBasedReplyIsA200MarkedInTheHeader() throws Exception {
        gw.sim.faults().set("*", "status=500");
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayFixture.chat("default", "hello", false));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-levee-model-used")).hasValue("rule_based_fallback");
        assertThat(json(r).path("choices").path(0).path("message").path("content").asText()).contains("fallback mode");
    }

    @Test
    void streamingFollowsTheOpenAiChunkFormatWithUsage() throws Exception {
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayFixture.chat("default", "Stream it", true));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(r.headers().firstValue("x-levee-model-used")).hasValue("gemma3:4b");
        Sse.Parsed sse = Sse.parse(r.body());
        assertThat(sse.done()).isTrue();
        assertThat(sse.text()).isEqualTo(ResponseGenerator.answerFor("Stream it"));
        JsonNode first = sse.events().get(0);
        assertThat(first.path("choices").path(0).path("delta").path("role").asText()).isEqualTo("assistant");
        for (JsonNode e : sse.events()) {
            assertThat(e.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(e.path("id").asText()).isEqualTo(first.path("id").asText());
            assertThat(e.path("model").asText()).isEqualTo("gemma3:4b");
            assertThat(e.has("created")).isTrue();
        }
        JsonNode last = sse.events().get(sse.events().size() - 1);
        assertThat(last.path("choices")).isEmpty();
        assertThat(last.path("usage").path("completion_tokens").asInt()).isPositive();
        JsonNode finish = sse.events().get(sse.events().size() - 2);
        assertThat(finish.path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void anOpenAiUpstreamIsTranslatedToo() throws Exception {
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayFixture.chat("openai", "via openai", true));
        Sse.Parsed sse = Sse.parse(r.body());
        assertThat(sse.text()).isEqualTo(ResponseGenerator.answerFor("via openai"));
        assertThat(gw.sim.journal().last().orElseThrow().headers()).containsEntry("authorization", "***");
    }

    @Test
    void unknownModelIs404() throws Exception {
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayFixture.chat("no-such-route", "hi", false));
        assertOpenAiError(r, 404);
        assertThat(json(r).path("error").path("code").asText()).isEqualTo("model_not_found");
        assertThat(gw.sim.journal().all()).isEmpty();
    }

    @Test
    void nothingCanServeIs503() throws Exception {
        gw.sim.faults().set("strict-model", "status=503");
        assertOpenAiError(gw.post("/v1/chat/completions", GatewayFixture.chat("strict", "hi", false)), 503);
    }

    @Test
    void deadlineExceededIs504() throws Exception {
        gw.sim.faults().set("strict-model", "hang");
        long start = System.nanoTime();
        assertOpenAiError(gw.post("/v1/chat/completions", GatewayFixture.chat("strict", "hi", false)), 504);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5000);
    }

    @Test
    void contentPolicyRefusalIsReturnedNotRoutedAround() throws Exception {
        gw.sim.faults().set("gemma3:4b", "content_filter");
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayFixture.chat("default", "bad", false));
        assertOpenAiError(r, 400);
        assertThat(json(r).path("error").path("code").asText()).isEqualTo("content_policy_violation");
        assertThat(gw.sim.journal().count("gemma3:1b")).isZero();
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() throws Exception {
        assertOpenAiError(gw.get("/v2/nothing"), 404);
        assertOpenAiError(gw.get("/v1/chat/completions"), 405);
        assertOpenAiError(gw.post("/v1/models", "{}"), 405);
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        String huge = GatewayFixture.chat("default", "x".repeat(70_000), false);
        assertOpenAiError(gw.post("/v1/chat/completions", huge), 413);
        assertThat(gw.post("/v1/chat/completions", GatewayFixture.chat("default", "ok", false)).statusCode()).isEqualTo(200);
    }

    @Test
    void everyMalformedRequestIsA400WithAnOpenAiErrorAndTheGatewayKeepsServing() throws Exception {
        String[] corpus = {
                "",
                "not json",
                "{",
                "[]",
                "42",
                "\"just a string\"",
                "null",
                "{\"model\": \"default\"}",
                "{\"model\": \"default\", \"messages\": []}",
                "{\"model\": \"default\", \"messages\": \"hello\"}",
                "{\"model\": \"default\", \"messages\": [\"hello\"]}",
                "{\"model\": \"default\", \"messages\": [{\"content\": \"hi\"}]}",
                "{\"model\": \"default\", \"messages\": [{\"role\": \"wizard\", \"content\": \"hi\"}]}",
                "{\"model\": \"default\", \"messages\": [{\"role\": 7, \"content\": \"hi\"}]}",
                "{\"model\": \"default\", \"messages\": [{\"role\": \"user\"}]}",
                "{\"model\": \"default\", \"messages\": [{\"role\": \"user\", \"content\": 12}]}",
                "{\"model\": \"default\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\"}]}]}",
                "{\"model\": \"default\", \"messages\": [{\"role\": \"system\", \"content\": \"only system\"}]}",
                "{\"model\": 5, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                "{\"model\": \"default\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": 0}",
                "{\"model\": \"default\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": \"ten\"}",
                "{\"model\": \"default\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": 1.5}",
                "{\"model\": \"default\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"temperature\": 5}",
                "{\"model\": \"default\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"temperature\": \"hot\"}",
                "{\"model\": \"default\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"top_p\": 0}",
                "{\"model\": \"default\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"stream\": \"yes\"}",
                "{\"model\": \"default\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"n\": 3}",
                // 2^32 + 1 and 2^31: read as an int they would wrap to 1 and to a negative number
                "{\"model\": \"default\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"n\": 4294967297}",
                "{\"model\": \"default\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": 2147483648}",
                "{\"model\": \"default\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"stop\": [1, 2]}",
                "{\"model\": \"default\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"stop\": [\"a\",\"b\",\"c\",\"d\",\"e\"]}",
                "{\"model\": \"default\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"stream_options\": {\"include_usage\": true}}",
                "{\"model\": \"default\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"tools\": [{\"type\": \"function\"}]}",
                "{\"model\": \"default\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"metadata\": {\"k\": 1}}",
                "{\"model\": \"default\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]} trailing",
                "{\"model\": \"default\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"presence_penalty\": 9}",
                "[".repeat(1000) + "]".repeat(1000),
                "{\"model\": \"default\", \"messages\": [{\"role\": \"user\", \"content\": \"\\ud800\"}], \"max_tokens\": -1}",
        };
        for (String body : corpus) {
            HttpResponse<String> r = gw.post("/v1/chat/completions", body);
            assertThat(r.statusCode()).as("status for %s", abbreviate(body)).isEqualTo(400);
            assertOpenAiError(r, 400);
        }
        assertThat(corpus.length).isGreaterThanOrEqualTo(25);
        assertThat(gw.sim.journal().all()).isEmpty();
        HttpResponse<String> healthy = gw.post("/v1/chat/completions", GatewayFixture.chat("default", "still there?", false));
        assertThat(healthy.statusCode()).isEqualTo(200);
    }

    @Test
    void badParametersNameTheParam() throws Exception {
        HttpResponse<String> r = gw.post("/v1/chat/completions",
                "{\"model\": \"default\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"temperature\": 5}");
        assertThat(json(r).path("error").path("param").asText()).isEqualTo("temperature");
        assertThat(json(r).path("error").path("type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void modelsListsTheRoutes() throws Exception {
        JsonNode body = json(gw.get("/v1/models"));
        assertThat(body.path("object").asText()).isEqualTo("list");
        assertThat(body.path("data").findValuesAsText("id")).containsExactly("default", "strict", "openai");
        assertThat(body.path("data").path(0).path("object").asText()).isEqualTo("model");
    }

    @Test
    void oneModelIsLookedUpByItsId() throws Exception {
        JsonNode model = json(gw.get("/v1/models/strict"));
        assertThat(model.path("id").asText()).isEqualTo("strict");
        assertThat(model.path("object").asText()).isEqualTo("model");
        assertThat(model.path("owned_by").asText()).isEqualTo("levee");

        HttpResponse<String> missing = gw.get("/v1/models/no-such-route");
        assertOpenAiError(missing, 404);
        assertThat(json(missing).path("error").path("code").asText()).isEqualTo("model_not_found");
        assertThat(json(missing).path("error").path("message").asText()).contains("no-such-route");
    }

    @Test
    void healthAndReadiness() throws Exception {
        assertThat(gw.get("/health").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = gw.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).path("status").asText()).isEqualTo("ready");
        assertThat(json(ready).path("tiers")).hasSize(2);
    }

    @Test
    void statsAndBreakersAreJson() throws Exception {
        gw.post("/v1/chat/completions", GatewayFixture.chat("default", "count me", false));
        JsonNode stats = json(gw.get("/levee/stats"));
        assertThat(stats.path("recent_performance").path("request_count").asInt()).isPositive();
        assertThat(stats.path("model_usage").has("gemma3:4b")).isTrue();
        JsonNode breakers = json(gw.get("/levee/breakers"));
        assertThat(breakers.path("breakers").findValuesAsText("target")).contains("sim/gemma3:4b");
    }

    @Test
    void noProviderKeyAppearsInAnyResponse() throws Exception {
        gw.sim.faults().set("gpt-4o-mini", "unauthorized");
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayFixture.chat("openai", "hi", false));
        assertThat(r.body()).doesNotContain("sk-test-gateway-secret");
        assertThat(r.headers().map().toString()).doesNotContain("sk-test-gateway-secret");
    }

    @Test
    void callerMetadataComesFromHeadersAndTheBodyAndTraceparentIsPassedOn() throws Exception {
        var seen = new java.util.concurrent.CopyOnWriteArrayList<dev.levee.spi.LeveeEvent.RequestCompleted>();
        gw.levee.addListener(e -> {
            if (e instanceof dev.levee.spi.LeveeEvent.RequestCompleted c && "meta-1".equals(c.requestId())) {
                seen.add(c);
            }
        });
        String body = "{\"model\": \"default\", \"user\": \"u-42\", \"metadata\": {\"variant_id\": \"B\"},"
                + " \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        HttpResponse<String> r = gw.post("/v1/chat/completions", body, "X-Request-Id", "meta-1",
                "X-Levee-Experiment-Id", "exp-7", "X-Levee-Variant-Id", "A", "X-Levee-Feature-Version", "f3",
                "traceparent", traceparent);
        assertThat(r.statusCode()).isEqualTo(200);
        org.awaitility.Awaitility.await().until(() -> seen.size() == 1);
        var options = seen.get(0).request().options();
        assertThat(options.metadata()).containsEntry("experiment_id", "exp-7").containsEntry("variant_id", "B")
                .containsEntry("feature_version", "f3").containsEntry("user", "u-42");
        assertThat(options.traceParent()).isEqualTo(traceparent);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
