package dev.levee.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;

/** Maps method and path to the simulator's endpoints. */
final class Routes implements Handler<HttpServerRequest> {

    private final SimulatorConfig config;
    private final ChatEndpoint chat;
    private final EmbeddingsEndpoint embeddings;
    private final Dialect ollama = new OllamaDialect();
    private final Dialect openAi = new OpenAiDialect();
    private final Dialect anthropic = new AnthropicDialect();

    Routes(SimulatorConfig config, ChatEndpoint chat, EmbeddingsEndpoint embeddings) {
        this.config = config;
        this.chat = chat;
        this.embeddings = embeddings;
    }

    @Override
    public void handle(HttpServerRequest request) {
        switch (request.path()) {
            case "/health" -> get(request, Json.object().put("status", "ok"));
            case "/api/tags" -> get(request, ollamaTags());
            case "/v1/models" -> get(request, openAiModels());
            case "/api/chat" -> post(request, ollama);
            case "/v1/chat/completions" -> post(request, openAi);
            case "/v1/messages" -> post(request, anthropic);
            case "/v1/embeddings" -> embed(request, openAi, false);
            case "/api/embed" -> embed(request, ollama, true);
            default -> refuse(request, 404, "Unknown request URL: " + request.method() + " " + request.path());
        }
    }

    private void post(HttpServerRequest request, Dialect dialect) {
        if (request.method() == HttpMethod.POST) {
            chat.handle(request, dialect);
        } else {
            refuse(request, 405, "Method " + request.method() + " not allowed on " + request.path());
        }
    }

    private void embed(HttpServerRequest request, Dialect dialect, boolean ollamaWire) {
        if (request.method() == HttpMethod.POST) {
            embeddings.handle(request, dialect, ollamaWire);
        } else {
            refuse(request, 405, "Method " + request.method() + " not allowed on " + request.path());
        }
    }

    private static void get(HttpServerRequest request, ObjectNode body) {
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            refuse(request, 405, "Method " + request.method() + " not allowed on " + request.path());
            return;
        }
        request.response().putHeader("content-type", "application/json").end(Json.buffer(body));
    }

    private static void refuse(HttpServerRequest request, int status, String message) {
        SimError error = new SimError(status, SimError.Kind.NOT_FOUND, message, null, null);
        request.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(Json.buffer(OpenAiDialect.errorObject(error)));
    }

    private ObjectNode ollamaTags() {
        ObjectNode root = Json.object();
        ArrayNode models = root.putArray("models");
        String modifiedAt = Instant.EPOCH.toString();
        for (String name : config.listedModels()) {
            String tagged = name.contains(":") ? name : name + ":latest";
            ObjectNode model = models.addObject().put("name", tagged).put("model", tagged)
                    .put("modified_at", modifiedAt).put("size", 0).put("digest", "");
            model.putObject("details").put("format", "gguf").put("family", "simulated");
        }
        return root;
    }

    private ObjectNode openAiModels() {
        ObjectNode root = Json.object().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (String name : config.listedModels()) {
            data.addObject().put("id", name).put("object", "model").put("created", 0).put("owned_by", "levee-simulator");
        }
        return root;
    }
}
