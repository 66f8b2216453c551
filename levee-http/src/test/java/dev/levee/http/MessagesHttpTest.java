package dev.levee.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.simulator.ReceivedRequest;
import dev.levee.simulator.ResponseGenerator;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/messages} over raw HTTP: Anthropic's shapes in, levee's engine, Anthropic's shapes out. */
class MessagesHttpTest extends MessagesFixture {
    private static final String PROMPT = "Explain circuit breakers";

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Sse.JSON.readTree(r.body());
    }

    private static JsonNode sent(String model) {
        return gw.sim.journal().all().stream().filter(r -> r.model().equals(model)).reduce((a, b) -> b)
                .map(ReceivedRequest::body).orElseThrow();
    }

    @Test
    void aMessageComesBackAsAnthropicsMessageObject() throws Exception {
        HttpResponse<String> r = post("""
                {"model": "default", "max_tokens": 300, "system": "Be brief.",
                 "messages": [{"role": "user", "content": "%s"}]}""".formatted(PROMPT), "x-request-id", "req-abc-1");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode m = json(r);
        assertThat(m.path("type").asText()).isEqualTo("message");
        assertThat(m.path("role").asText()).isEqualTo("assistant");
        assertThat(m.path("id").asText()).isEqualTo("msg_req-abc-1"); // an OpenAI target's id is not a message id
        assertThat(m.path("model").asText()).isEqualTo("primary");
        assertThat(m.path("content")).hasSize(1);
        assertThat(m.path("content").get(0).path("type").asText()).isEqualTo("text");
        assertThat(m.path("content").get(0).path("text").asText()).isEqualTo(ResponseGenerator.answerFor(PROMPT));
        assertThat(m.path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(m.path("stop_sequence").isNull()).isTrue();
        assertThat(m.path("usage").path("input_tokens").asInt()).isPositive();
        assertThat(m.path("usage").path("output_tokens").asInt()).isPositive();
        assertThat(r.headers().firstValue("x-request-id")).hasValue("req-abc-1");
        assertThat(r.headers().firstValue("request-id")).hasValue("req-abc-1");
        assertThat(r.headers().firstValue("x-levee-model-used")).hasValue("primary");
        assertThat(r.headers().firstValue("x-levee-fallback-level")).hasValue("0");
        JsonNode upstream = sent("primary");
        assertThat(upstream.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(upstream.path("messages").get(0).path("content").asText()).isEqualTo("Be brief.");
        assertThat(upstream.path("max_tokens").asInt()).isEqualTo(300);
    }

    @Test
    void theClientsKeyIsNeitherEchoedNorSentUpstream() throws Exception {
        HttpResponse<String> r = post(simple("default", PROMPT, false), "authorization", "Bearer "
                + API_KEY);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).doesNotContain(API_KEY);
        assertThat(r.headers().map().toString()).doesNotContain(API_KEY).doesNotContain("some-beta");
        assertThat(gw.sim.journal().all().get(0).headers().toString()).doesNotContain(API_KEY);
    }

    @Test
    void aFailingPrimaryFallsBackInvisibly() throws Exception {
        gw.sim.faults().set("primary", "status=503");

        HttpResponse<String> r = post(simple("default", PROMPT, false));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).path("model").asText()).isEqualTo("secondary");
        assertThat(r.headers().firstValue("x-levee-fallback-level")).hasValue("1");
    }

    @Test
    void samplingParametersAreTranslatedAndTopKTravelsUnderItsName() throws Exception {
        HttpResponse<String> r = post("""
                {"model": "default", "max_tokens": 64, "temperature": 0.5, "top_p": 0.9, "top_k": 40,
                 "stop_sequences": ["END"], "metadata": {"user_id": "u-1"},
                 "messages": [{"role": "user", "content": "hi"}]}""");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode upstream = sent("primary");
        assertThat(upstream.path("temperature").asDouble()).isEqualTo(0.5);
        assertThat(upstream.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(upstream.path("top_k").asInt()).isEqualTo(40);
        assertThat(upstream.path("stop").get(0).asText()).isEqualTo("END");
        assertThat(upstream.has("metadata")).isFalse();
        assertThat(r.headers().firstValue("x-levee-not-applied")).isEmpty();
    }

    @Test
    void hintsNoTargetGetsAreNamedAsNotApplied() throws Exception {
        HttpResponse<String> r = post("""
                {"model": "default", "max_tokens": 64, "thinking": {"type": "enabled", "budget_tokens": 32},
                 "context_management": {"edits": [{"type": "clear_tool_uses_20250919"}]},
                 "system": [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}],
                 "messages": [{"role": "user", "content": "hi"}]}""");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-levee-not-applied")).hasValue("thinking, context_management, cache_control");
        assertThat(sent("primary").has("thinking")).isFalse();
        assertThat(sent("primary").has("context_management")).isFalse();
        assertThat(sent("primary").has("cache_control")).isFalse();
    }

    @Test
    void aToolLoopTranslatesToolUseAndToolResultBothWays() throws Exception {
        String tools = """
                "tools": [{"name": "get_weather", "description": "Weather by city",
                  "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}]""";
        HttpResponse<String> first = post("""
                {"model": "default", "max_tokens": 256, %s,
                 "tool_choice": {"type": "any", "disable_parallel_tool_use": true},
                 "messages": [{"role": "user", "content": "Weather for Copenhagen"}]}""".formatted(tools));

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode m = json(first);
        assertThat(m.path("stop_reason").asText()).isEqualTo("tool_use");
        JsonNode use = m.path("content").get(m.path("content").size() - 1);
        assertThat(use.path("type").asText()).isEqualTo("tool_use");
        assertThat(use.path("name").asText()).isEqualTo("get_weather");
        assertThat(use.path("input").path("city").asText()).isEqualTo("Copenhagen");
        JsonNode upstream = sent("primary");
        assertThat(upstream.path("tools").get(0).path("function").path("parameters").path("required").get(0).asText())
                .isEqualTo("city");
        assertThat(upstream.path("tool_choice").asText()).isEqualTo("required");
        assertThat(upstream.path("parallel_tool_calls").asBoolean(true)).isFalse();

        HttpResponse<String> second = post("""
                {"model": "default", "max_tokens": 256, %s, "messages": [
                  {"role": "user", "content": "Weather for Copenhagen"},
                  {"role": "assistant", "content": [{"type": "text", "text": "Looking."},
                    {"type": "tool_use", "id": "%s", "name": "get_weather", "input": {"city": "Copenhagen"}}]},
                  {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "%s",
                    "content": [{"type": "text", "text": "12 C, sunny"}]}]}]}""".formatted(tools,
                use.path("id").asText(), use.path("id").asText()));

        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(json(second).path("content").get(0).path("text").asText()).isEqualTo("The tool returned: 12 C, sunny");
        assertThat(json(second).path("stop_reason").asText()).isEqualTo("end_turn");
        JsonNode loop = sent("primary").path("messages");
        assertThat(loop.get(1).path("tool_calls").get(0).path("id").asText()).isEqualTo(use.path("id").asText());
        assertThat(loop.get(1).path("tool_calls").get(0).path("function").path("arguments").asText())
                .isEqualTo("{\"city\":\"Copenhagen\"}");
        assertThat(loop.get(2).path("role").asText()).isEqualTo("tool");
        assertThat(loop.get(2).path("tool_call_id").asText()).isEqualTo(use.path("id").asText());
        assertThat(loop.get(2).path("content").asText()).isEqualTo("12 C, sunny");
    }

    @Test
    void aToolErrorIsSaidInTheResultAndTextAfterResultsFollowsThem() throws Exception {
        HttpResponse<String> r = post("""
                {"model": "default", "max_tokens": 64, "messages": [
                  {"role": "user", "content": "Weather?"},
                  {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "w", "input": {}}]},
                  {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "is_error": true,
                    "content": "timeout"}, {"type": "text", "text": "Try again"}]}]}""");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode messages = sent("primary").path("messages");
        assertThat(messages.get(2).path("content").asText()).isEqualTo("Error: timeout");
        assertThat(messages.get(3).path("role").asText()).isEqualTo("user");
        assertThat(messages.get(3).path("content").asText()).isEqualTo("Try again");
    }

    @Test
    void imagesTravelAsDataUrisOrUrls() throws Exception {
        HttpResponse<String> r = post("""
                {"model": "default", "max_tokens": 64, "messages": [{"role": "user", "content": [
                  {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
                  {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.jpg"}},
                  {"type": "text", "text": "What is this?"}]}]}""");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode parts = sent("primary").path("messages").get(0).path("content");
        assertThat(parts.get(0).path("image_url").path("url").asText()).isEqualTo("data:image/png;base64,iVBORw0KGgo=");
        assertThat(parts.get(1).path("image_url").path("url").asText()).isEqualTo("https://example.com/cat.jpg");
        assertThat(parts.get(2).path("text").asText()).isEqualTo("What is this?");
    }

    @Test
    void eachToolChoiceReachesTheTargetAsItsEquivalent() throws Exception {
        String tools = "[{\"name\": \"get_weather\", \"input_schema\": {\"type\": \"object\"}}]";
        java.util.Map<String, String> expected = java.util.Map.of(
                "{\"type\": \"auto\"}", "\"auto\"",
                "{\"type\": \"none\"}", "\"none\"",
                "{\"type\": \"tool\", \"name\": \"get_weather\"}",
                "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}");
        for (var e : expected.entrySet()) {
            gw.sim.journal().clear();
            HttpResponse<String> r = post("{\"model\": \"default\", \"max_tokens\": 64, \"tools\": " + tools
                    + ", \"tool_choice\": " + e.getKey() + ", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(sent("primary").path("tool_choice").toString()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(sent("primary").has("parallel_tool_calls")).isFalse();
        }
    }

    @Test
    void aCutShortAnswerStopsForMaxTokens() throws Exception {
        HttpResponse<String> r = post("""
                {"model": "default", "max_tokens": 3, "messages": [{"role": "user", "content": "%s"}]}""".formatted(PROMPT));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).path("stop_reason").asText()).isEqualTo("max_tokens");
        assertThat(json(r).path("usage").path("output_tokens").asInt()).isLessThanOrEqualTo(3);
    }
}
