package dev.levee.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every mistake in a Messages API request is Anthropic's error object naming it, with the right status. */
class MessagesErrorsTest extends MessagesFixture {

    /** The error object, checked for Anthropic's shape, status and type; its message returned. */
    private static String error(HttpResponse<String> r, int status, String type) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        JsonNode body = Sse.JSON.readTree(r.body());
        assertThat(body.path("type").asText()).as(r.body()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).as(r.body()).isEqualTo(type);
        assertThat(body.path("request_id").asText()).isEqualTo(r.headers().firstValue("x-request-id").orElseThrow());
        assertThat(r.body()).doesNotContain(API_KEY);
        return body.path("error").path("message").asText();
    }

    private static String invalid(String body) throws Exception {
        String message = error(post(body), 400, "invalid_request_error");
        assertThat(gw.sim.journal().all()).isEmpty(); // refused before any provider was asked
        return message;
    }

    private static String withMessages(String messages) {
        return "{\"model\": \"default\", \"max_tokens\": 64, \"messages\": " + messages + "}";
    }

    @Test
    void eachBadRequestIsA400NamingItsField() throws Exception {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"model\": \"default\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "max_tokens");
        cases.put("{\"model\": \"default\", \"max_tokens\": 0, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                "max_tokens");
        cases.put("{\"max_tokens\": 9, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "model");
        cases.put("{\"model\": \"default\", \"max_tokens\": 9}", "messages");
        cases.put(withMessages("[]"), "messages");
        cases.put(withMessages("[{\"role\": \"system\", \"content\": \"hi\"}]"), "messages.0.role");
        cases.put(withMessages("[{\"role\": \"user\", \"content\": 7}]"), "messages.0.content");
        cases.put(withMessages("[{\"role\": \"user\", \"content\": [{\"type\": \"document\", \"source\": {}}]}]"),
                "messages.0.content.0.type");
        cases.put(withMessages("[{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"content\": "
                + "[{\"type\": \"thinking\", \"thinking\": \"hm\", \"signature\": \"x\"}]}]"), "thinking");
        cases.put(withMessages("[{\"role\": \"assistant\", \"content\": [{\"type\": \"image\", \"source\": "
                + "{\"type\": \"url\", \"url\": \"https://x.y/z.png\"}}]}]"), "messages.0.content.0.type");
        cases.put(withMessages("[{\"role\": \"user\", \"content\": [{\"type\": \"image\", \"source\": "
                + "{\"type\": \"base64\", \"media_type\": \"image/tiff\", \"data\": \"AAAA\"}}]}]"),
                "messages.0.content.0.source.media_type");
        cases.put(withMessages("[{\"role\": \"user\", \"content\": [{\"type\": \"image\", \"source\": "
                + "{\"type\": \"file\", \"file_id\": \"f\"}}]}]"), "messages.0.content.0.source");
        cases.put(withMessages("[{\"role\": \"user\", \"content\": [{\"type\": \"tool_result\"}]}]"),
                "messages.0.content.0.tool_use_id");
        cases.put(withMessages("[{\"role\": \"assistant\", \"content\": [{\"type\": \"tool_use\", \"id\": \"t\", "
                + "\"name\": \"n\", \"input\": \"x\"}]}]"), "messages.0.content.0.input");
        cases.put(withMessages("[{\"role\": \"user\", \"content\": []}]"), "messages.0.content");
        cases.put(withMessages("[{\"role\": \"user\", \"content\": [{\"type\": \"tool_result\", \"tool_use_id\": \"t\", "
                + "\"content\": [{\"type\": \"image\", \"source\": {}}]}]}]"), "messages.0.content.0.content.0.type");
        cases.put("{\"model\": \"default\", \"max_tokens\": 9, \"temperature\": 1.5, \"messages\": "
                + "[{\"role\": \"user\", \"content\": \"hi\"}]}", "temperature");
        cases.put("{\"model\": \"default\", \"max_tokens\": 9, \"top_k\": -1, \"messages\": "
                + "[{\"role\": \"user\", \"content\": \"hi\"}]}", "top_k");
        cases.put("{\"model\": \"default\", \"max_tokens\": 9, \"stop_sequences\": \"END\", \"messages\": "
                + "[{\"role\": \"user\", \"content\": \"hi\"}]}", "stop_sequences");
        cases.put("{\"model\": \"default\", \"max_tokens\": 9, \"system\": 3, \"messages\": "
                + "[{\"role\": \"user\", \"content\": \"hi\"}]}", "system");
        cases.put("{\"model\": \"default\", \"max_tokens\": 9, \"metadata\": {\"team\": \"a\"}, \"messages\": "
                + "[{\"role\": \"user\", \"content\": \"hi\"}]}", "metadata.team");
        cases.put("{\"model\": \"default\", \"max_tokens\": 9, \"frequency_penalty\": 1, \"messages\": "
                + "[{\"role\": \"user\", \"content\": \"hi\"}]}", "frequency_penalty");
        cases.put("{\"model\": \"default\", \"max_tokens\": 9, \"mcp_servers\": [], \"messages\": "
                + "[{\"role\": \"user\", \"content\": \"hi\"}]}", "mcp_servers");
        cases.put("{\"model\": \"default\", \"max_tokens\": 9, \"stream\": \"yes\", \"messages\": "
                + "[{\"role\": \"user\", \"content\": \"hi\"}]}", "stream");
        cases.forEach((body, field) -> {
            try {
                assertThat(invalid(body)).as(body).contains(field);
            } catch (Exception e) {
                throw new AssertionError(body, e);
            }
        });
    }

    private static final String TOOL = "{\"name\": \"get_weather\", \"input_schema\": {\"type\": \"object\"}}";

    private static String withTools(String tools, String choice) {
        return "{\"model\": \"default\", \"max_tokens\": 9, \"tools\": " + tools
                + (choice == null ? "" : ", \"tool_choice\": " + choice)
                + ", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
    }

    @Test
    void badToolsAndToolChoicesAre400sNamingThem() throws Exception {
        assertThat(invalid(withTools("[{\"name\": \"bad name\", \"input_schema\": {}}]", null))).contains("tools.0.name");
        assertThat(invalid(withTools("[{\"name\": \"w\"}]", null))).contains("tools.0.input_schema");
        assertThat(invalid(withTools("[{\"type\": \"web_search_20250305\", \"name\": \"web_search\"}]", null)))
                .contains("tools.0.type").contains("web_search_20250305");
        assertThat(invalid(withTools("[" + TOOL + "]", "{\"type\": \"sometimes\"}"))).contains("tool_choice.type");
        assertThat(invalid(withTools("[" + TOOL + "]", "\"auto\""))).contains("tool_choice.type");
        assertThat(invalid(withTools("[" + TOOL + "]", "{\"type\": \"tool\", \"name\": \"other\"}")))
                .contains("tool_choice.name").contains("other");
        assertThat(invalid(withTools("[" + TOOL + "]", "{\"type\": \"tool\"}"))).contains("tool_choice.name");
        assertThat(invalid(withTools("[]", "{\"type\": \"any\"}"))).contains("tool_choice");
        assertThat(invalid(withTools("[" + TOOL + "]", "{\"type\": \"auto\", \"disable_parallel_tool_use\": 1}")))
                .contains("disable_parallel_tool_use");
    }

    @Test
    void theVersionHeaderIsRequiredAndTheBodyMustBeJson() throws Exception {
        assertThat(error(gw.post("/v1/messages", simple("default", "hi", false)), 400, "invalid_request_error"))
                .contains("anthropic-version");
        assertThat(error(post("{not json"), 400, "invalid_request_error")).contains("JSON");
        assertThat(error(post(""), 400, "invalid_request_error")).contains("empty");
        assertThat(error(post("[1]"), 400, "invalid_request_error")).contains("object");
    }

    @Test
    void anUnknownRouteIsNotFound() throws Exception {
        assertThat(error(post(simple("no-such-route", "hi", false)), 404, "not_found_error")).contains("no-such-route");
    }

    @Test
    void aBodyOverTheLimitIs413InAnthropicsShape() throws Exception {
        String big = "x".repeat(70_000);
        assertThat(error(post(simple("default", big, false)), 413, "request_too_large")).contains("65536");
    }

    @Test
    void nothingAbleToServeIsOverloadedNeverA500() throws Exception {
        gw.sim.faults().set("strict-model", "status=500");
        assertThat(error(post(simple("strict", "hi", false)), 503, "overloaded_error")).isNotBlank();
        assertThat(error(post(simple("strict", "hi", true)), 503, "overloaded_error")).isNotBlank();
    }
}
