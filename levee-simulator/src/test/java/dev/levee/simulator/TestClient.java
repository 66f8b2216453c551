package dev.levee.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A real JDK HTTP client against a simulator, with small helpers for the three wire formats. */
final class TestClient {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Map<String, String> ANTHROPIC_HEADERS = Map.of("x-api-key", "sk-ant-test", "anthropic-version",
            "2023-06-01");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String baseUrl;

    TestClient(Simulator simulator) {
        this.baseUrl = simulator.baseUrl();
    }

    Response post(String path, String body) {
        return post(path, body, Map.of());
    }

    Response post(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request.build());
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20)).GET().build());
    }

    HttpClient http() {
        return http;
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            Map<String, String> headers = new LinkedHashMap<>();
            response.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(", ", v)));
            return new Response(response.statusCode(), headers, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Response(int status, Map<String, String> headers, String body) {

        JsonNode json() {
            return parse(body);
        }

        /** SSE data payloads (without [DONE]) parsed as JSON. */
        List<JsonNode> sseData() {
            List<JsonNode> data = new ArrayList<>();
            for (SseEvent event : sseEvents()) {
                if (!event.data().equals("[DONE]")) {
                    data.add(parse(event.data()));
                }
            }
            return data;
        }

        List<SseEvent> sseEvents() {
            return SseEvent.parse(body);
        }

        List<JsonNode> ndjson() {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : body.split("\n")) {
                if (!line.isBlank()) {
                    lines.add(parse(line));
                }
            }
            return lines;
        }
    }

    record SseEvent(String event, String data) {

        static List<SseEvent> parse(String body) {
            List<SseEvent> events = new ArrayList<>();
            for (String block : body.split("\n\n")) {
                String event = null;
                StringBuilder data = new StringBuilder();
                for (String line : block.split("\n")) {
                    if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        data.append(line.substring(6));
                    }
                }
                if (event != null || data.length() > 0) {
                    events.add(new SseEvent(event, data.toString()));
                }
            }
            return events;
        }
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }

    static String openAiBody(String model, String prompt, boolean stream, String extra) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":"
                + quote(prompt) + "}]" + extra + "}";
    }

    static String ollamaBody(String model, String prompt, String extra) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":" + quote(prompt) + "}]"
                + extra + "}";
    }

    static String anthropicBody(String model, String prompt, int maxTokens, boolean stream) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens + ",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":" + quote(prompt) + "}]}";
    }

    static String quote(String text) {
        try {
            return MAPPER.writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
