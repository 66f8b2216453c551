package dev.levee.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.CallOptions;
import dev.levee.ChatResponse;
import dev.levee.Levee;
import dev.levee.LeveeException;
import dev.levee.RequestIds;
import dev.levee.http.ChatCompletionRequest.Invalid;
import dev.levee.spi.LiveStream;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/messages}: the Anthropic Messages API over the same engine — Anthropic's request,
 * {@code message} object, stream events and error objects. {@code x-api-key} and {@code
 * Authorization} are accepted and never echoed or logged; {@code anthropic-version} is required, as
 * Anthropic requires it (every SDK sends it), with any value; {@code anthropic-beta} is ignored.
 */
final class MessagesEndpoint implements Endpoint<MessagesRequest> {
    private static final Logger log = LoggerFactory.getLogger("levee.gateway");
    static final CharSequence REQUEST_ID = HttpHeaders.createOptimized("request-id");

    @Override
    public MessagesRequest read(JsonNode body, MultiMap headers, CallOptions.Builder options) throws Invalid {
        String version = headers.get("anthropic-version");
        if (version == null || version.isBlank()) {
            throw new Invalid("anthropic-version", "anthropic-version: header is required");
        }
        return MessagesRequest.from(body, options);
    }

    @Override
    public Buffer answer(MessagesRequest parsed, ChatResponse answer, long created) {
        return MessagesResponse.message(answer);
    }

    @Override
    public SseFormat sse(MessagesRequest parsed, LiveStream stream, String requestId, long created) {
        return new MessagesSse(stream, requestId);
    }

    /** Anthropic SDKs read {@code request-id}; levee's {@code X-Request-Id} is there too. */
    @Override
    public void headers(HttpServerResponse response, String requestId) {
        response.putHeader(REQUEST_ID, requestId);
    }

    @Override
    public void error(HttpServerResponse response, ApiError error, String requestId) {
        String message = error.param() == null || error.message().startsWith(error.param())
                ? error.message() : error.param() + ": " + error.message();
        Responses.json(response, error.status(), MessagesResponse.error(errorType(error.status()), message, requestId));
    }

    /** Anthropic's error type for a status; levee's statuses are the chat API's, 503 for nothing able to serve. */
    static String errorType(int status) {
        return switch (status) {
            case 400, 405 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            case 504 -> "timeout_error";
            default -> "api_error";
        };
    }

    /** A failure before the handler ran (body too large or unreadable) or a bug of ours, in Anthropic's shape. */
    static void routingFailure(Levee levee, RoutingContext rc, long maxBodyBytes) {
        String requestId = RequestIds.accept(rc.request().getHeader("x-request-id"));
        HttpServerResponse response = rc.response().putHeader(Responses.REQUEST_ID, requestId)
                .putHeader(REQUEST_ID, requestId);
        int status = rc.statusCode();
        String message;
        if (status == 413) {
            message = "the request body is larger than " + maxBodyBytes + " bytes";
        } else if (status == 400) {
            message = "the request could not be read";
        } else {
            status = 500;
            message = "internal error; the request id is in the request-id header";
            log.error("unhandled error on POST /v1/messages", rc.failure());
        }
        if (status != 500) {
            levee.rejected(requestId, new LeveeException(LeveeException.Kind.INVALID_REQUEST, message, requestId),
                    false);
        }
        Responses.json(response, status, MessagesResponse.error(errorType(status), message, requestId));
    }
}
