package dev.levee.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.CallOptions;
import dev.levee.Call;
import dev.levee.ChatResponse;
import dev.levee.Levee;
import dev.levee.RequestIds;
import dev.levee.LeveeException;
import dev.levee.LimitStatus;
import dev.levee.config.FaultInjectionConfig;
import dev.levee.spi.LiveStream;
import dev.levee.config.Secret;
import dev.levee.spi.Reply;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The request path every chat API shares: request id, draining, reading, the engine call, the client
 * leaving, and the answer as JSON or as a relayed stream. The {@link Endpoint} supplies the API's shapes.
 */
final class EndpointHandler<P extends Endpoint.Parsed> implements Handler<RoutingContext> {
    static final String FORCE_PRIMARY_FAILURE = "x-levee-test-force-primary-failure";
    static final String FORCE_ALL_MODELS_FAIL = "x-levee-test-force-all-models-fail";
    static final String SIMULATE_HIGH_LOAD = "x-levee-test-simulate-high-load";

    private final Levee levee;
    private final Endpoint<P> endpoint;
    private final FaultInjectionConfig faults;
    private final AtomicInteger inFlight;
    private final java.util.function.BooleanSupplier draining;

    /** What a parsed request is handed to: the request path, or the counting path. */
    private final java.util.function.BiFunction<dev.levee.ChatRequest, Boolean, Call> path;

    EndpointHandler(Levee levee, Endpoint<P> endpoint, AtomicInteger inFlight,
                    java.util.function.BooleanSupplier draining) {
        this(levee, endpoint, inFlight, draining, levee::execute);
    }

    EndpointHandler(Levee levee, Endpoint<P> endpoint, AtomicInteger inFlight,
                    java.util.function.BooleanSupplier draining,
                    java.util.function.BiFunction<dev.levee.ChatRequest, Boolean, Call> path) {
        this.levee = levee;
        this.endpoint = endpoint;
        this.faults = levee.config().faultInjection();
        this.inFlight = inFlight;
        this.draining = draining;
        this.path = path;
    }

    Endpoint<P> endpoint() {
        return endpoint;
    }

    @Override
    public void handle(RoutingContext rc) {
        String requestId = RequestIds.accept(rc.request().getHeader("x-request-id"));
        HttpServerResponse response = rc.response().putHeader(Responses.REQUEST_ID, requestId);
        endpoint.headers(response, requestId);
        if (draining.getAsBoolean()) {
            LeveeException closing = new LeveeException(LeveeException.Kind.SHUTTING_DOWN,
                    "the gateway is shutting down", requestId);
            levee.rejected(requestId, closing, false);
            endpoint.error(response, ApiError.of(closing), requestId);
            return;
        }
        P parsed;
        try {
            parsed = endpoint.read(parse(rc.body().buffer()), rc.request().headers(),
                    options(rc.request().headers(), requestId, Credentials.of(rc.request())));
        } catch (ChatCompletionRequest.Invalid e) {
            // Logged (rate-limited), counted and in telemetry, like a refusal inside the chain; no body.
            levee.rejected(requestId, new LeveeException(LeveeException.Kind.INVALID_REQUEST, e.error.message(),
                    requestId, e.error.param()), false);
            endpoint.error(response, e.error, requestId);
            return;
        }
        inFlight.incrementAndGet();
        Runnable done = new Runnable() {
            private boolean ran;

            @Override
            public void run() {
                if (!ran) {
                    ran = true;
                    inFlight.decrementAndGet();
                }
            }
        };
        Call execution = path.apply(parsed.request(), parsed.stream());
        response.closeHandler(v -> {
            execution.cancel(); // the client left before the answer: abandon it upstream too
            done.run();
        });
        long created = System.currentTimeMillis() / 1000;
        execution.reply().onComplete(ar -> {
            LimitStatus limits = execution.limits();
            if (limits != null && !response.closed()) {
                Responses.limits(response, limits);
            }
            if (response.closed()) {
                if (ar.succeeded() && ar.result() instanceof Reply.Streaming s) {
                    s.stream().cancel();
                }
                done.run();
            } else if (ar.failed()) {
                LeveeException e = ar.cause() instanceof LeveeException le ? le
                        : new LeveeException(LeveeException.Kind.UNAVAILABLE, "internal_error", "internal error",
                                requestId, null);
                if (e.kind() == LeveeException.Kind.OVERLOADED) {
                    response.putHeader(io.vertx.core.http.HttpHeaders.RETRY_AFTER, "1"); // shed: room comes back fast
                }
                endpoint.error(response, ApiError.of(e), requestId);
                done.run();
            } else {
                answer(response, parsed, ar.result(), requestId, created, done);
            }
        });
    }

    /** The whole answer as JSON, or the committed stream relayed; {@code done} runs when the request is over. */
    private void answer(HttpServerResponse response, P parsed, Reply reply, String requestId, long created,
                        Runnable done) {
        if (reply instanceof Reply.Complete c) {
            ChatResponse r = c.response();
            Responses.answered(response, r.modelUsed(), r.fallbackLevel(),
                    Responses.concat(parsed.notApplied(), r.notApplied()));
            Responses.json(response, 200, endpoint.answer(parsed, r, created));
            done.run();
        } else {
            LiveStream stream = ((Reply.Streaming) reply).stream();
            new SseRelay(response, stream, endpoint.sse(parsed, stream, requestId, created), parsed.notApplied(), done)
                    .start();
        }
    }

    private static JsonNode parse(Buffer body) throws ChatCompletionRequest.Invalid {
        if (body == null || body.length() == 0) {
            throw new ChatCompletionRequest.Invalid(null, "the request body is empty: send a JSON object");
        }
        try {
            return Json.parse(body);
        } catch (Json.NotUtf8 e) {
            throw new ChatCompletionRequest.Invalid(null, "the request body is not valid UTF-8 (overlong forms and"
                    + " surrogates included): send UTF-8 JSON");
        } catch (IOException e) {
            throw new ChatCompletionRequest.Invalid(null,
                    "we could not parse the JSON body of your request: it is not valid JSON");
        }
    }

    /** Caller metadata headers and the telemetry keys they fill; the body's {@code metadata} wins over them. */
    static final Map<String, String> METADATA_HEADERS = Map.of(
            "x-levee-feature-version", "feature_version",
            "x-levee-prompt-version", "prompt_version",
            "x-levee-experiment-id", "experiment_id",
            "x-levee-variant-id", "variant_id",
            "x-levee-user", "user");

    /** Call options from headers: trace context and metadata always, fault injection only when the config allows it. */
    private CallOptions.Builder options(MultiMap headers, String requestId, Secret credential) {
        CallOptions.Builder options = CallOptions.builder().requestId(requestId).credential(credential);
        String traceParent = headers.get("traceparent");
        if (traceParent != null && traceParent.length() <= 64) {
            options.traceParent(traceParent);
        }
        Map<String, String> metadata = new java.util.LinkedHashMap<>();
        METADATA_HEADERS.forEach((header, key) -> {
            String v = headers.get(header);
            if (v != null && !v.isBlank() && v.length() <= 512) {
                metadata.put(key, v);
            }
        });
        options.metadata(metadata);
        if (faults.allowHeaders()) {
            options.forcePrimaryFailure(flag(headers, FORCE_PRIMARY_FAILURE))
                    .forceAllModelsFail(flag(headers, FORCE_ALL_MODELS_FAIL))
                    .simulateHighLoad(flag(headers, SIMULATE_HIGH_LOAD));
        }
        return options;
    }

    private static boolean flag(MultiMap headers, String name) {
        String v = headers.get(name);
        return v != null && Map.of("true", true, "1", true, "yes", true)
                .getOrDefault(v.trim().toLowerCase(Locale.ROOT), false);
    }
}
