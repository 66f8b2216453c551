package dev.levee.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/** Writing whole JSON responses. */
final class Responses {
    private Responses() {
    }

    static void json(HttpServerResponse response, int status, JsonNode body) {
        json(response, status, Json.write(body));
    }

    static void json(HttpServerResponse response, int status, Buffer body) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader(CONTENT_TYPE, APPLICATION_JSON).end(body);
    }

    /** Header names and values as pre-encoded ASCII strings: Vert.x skips re-validating them. */
    private static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("content-type");
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");

    static void error(HttpServerResponse response, ApiError error) {
        json(response, error.status(), error.toJson());
    }
}
