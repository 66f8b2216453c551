package dev.levee.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.http.HttpServerResponse;

/** Writing whole JSON responses. */
final class Responses {
    private Responses() {
    }

    static void json(HttpServerResponse response, int status, JsonNode body) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader("content-type", "application/json").end(Json.write(body));
    }

    static void error(HttpServerResponse response, ApiError error) {
        json(response, error.status(), error.toJson());
    }
}
