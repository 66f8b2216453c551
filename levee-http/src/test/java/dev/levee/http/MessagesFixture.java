package dev.levee.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * A gateway for the {@code POST /v1/messages} tests, requests as an Anthropic SDK sends them, and its
 * stream read as events. Routes: {@code default} (primary → secondary over the OpenAI wire; the
 * secondary continues no cut stream), {@code prefill} (and a prefill-capable third tier), {@code
 * strict} (one tier, no rule-based reply).
 */
abstract class MessagesFixture {
    static final String API_KEY = "sk-ant-client-secret-0123456789";
    static GatewayFixture gw;

    record Event(String name, JsonNode data) {
    }

    @BeforeAll
    static void start() {
        gw = new GatewayFixture("""
                routes:
                  default:
                    tiers:
                      - target: oai/primary
                      - target: oai/secondary
                        continuation: none
                  prefill:
                    tiers:
                      - target: oai/primary
                      - target: oai/secondary
                        continuation: none
                      - target: oai/prefill
                        supports_prefill: true
                  strict:
                    tiers:
                      - target: oai/strict-model
                    rule_based_fallback: false
                resilience:
                  circuit_breaker: { consecutive_failures: 1000, window: 100, minimum_calls: 100 }
                  retry: { max_attempts: 1 }
                  timeout: { first_token: 1s, stream_idle: 500ms }
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

    /** Posts with the headers every Anthropic SDK sends, and {@code extra} header pairs. */
    static HttpResponse<String> post(String body, String... extra) throws Exception {
        String[] headers = new String[extra.length + 6];
        headers[0] = "x-api-key";
        headers[1] = API_KEY;
        headers[2] = "anthropic-version";
        headers[3] = "2023-06-01";
        headers[4] = "anthropic-beta";
        headers[5] = "some-beta-2025-01-01";
        System.arraycopy(extra, 0, headers, 6, extra.length);
        return gw.post("/v1/messages", body, headers);
    }

    static String simple(String model, String prompt, boolean stream) {
        return """
                {"model": "%s", "max_tokens": 256, "stream": %s, "messages": [{"role": "user", "content": "%s"}]}
                """.formatted(model, stream, prompt);
    }

    /** The events of an SSE body, in order: {@code event:} name and parsed {@code data:}. */
    static List<Event> events(String body) throws Exception {
        List<Event> out = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            String name = null;
            String data = null;
            for (String line : frame.split("\n")) {
                if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            if (name != null && data != null) {
                out.add(new Event(name, Sse.JSON.readTree(data)));
            }
        }
        return out;
    }

    /** The text of every text_delta, in order. */
    static String text(List<Event> events) {
        StringBuilder text = new StringBuilder();
        for (Event e : events) {
            JsonNode delta = e.data().path("delta");
            if (e.name().equals("content_block_delta") && delta.path("type").asText().equals("text_delta")) {
                text.append(delta.path("text").asText());
            }
        }
        return text.toString();
    }
}
