package dev.levee.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.levee.simulator.ReceivedRequest.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat endpoints' common path: read and journal the request, validate it in its API's terms,
 * decide the fault, plan the answer, then hand over to a streaming or buffered run.
 */
final class ChatEndpoint {

    static final String FAULT_HEADER = "x-simulator-fault";

    private static final Logger log = LoggerFactory.getLogger(ChatEndpoint.class);
    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "x-api-key",
            "api-key");
    private static final int MAX_RAW_BODY_CHARS = 64 * 1024;

    private final Vertx vertx;
    private final SimulatorConfig config;
    private final FaultRules faults;
    private final RequestJournal journal;
    private final AtomicInteger inFlight;

    ChatEndpoint(Vertx vertx, SimulatorConfig config, FaultRules faults, RequestJournal journal,
                 AtomicInteger inFlight) {
        this.vertx = vertx;
        this.config = config;
        this.faults = faults;
        this.journal = journal;
        this.inFlight = inFlight;
    }

    void handle(HttpServerRequest request, Dialect dialect) {
        intake(request, dialect, (raw, receivedAt, receivedNanos) -> onBody(request, dialect, raw, receivedAt,
                receivedNanos));
    }

    /** What an endpoint does with a request's body once it is in. */
    @FunctionalInterface
    interface BodyHandler {
        void accept(Buffer raw, Instant receivedAt, long receivedNanos);
    }

    /**
     * The intake every endpoint shares: reads the body and hands it on. A body over the limit is
     * answered 413 unread; when the simulator itself fails on a request — an exception, or a heap too
     * small for what it was sent — the failure is logged and the connection dropped, so the client sees
     * a reset at once rather than waiting on an answer that will never come.
     */
    void intake(HttpServerRequest request, Dialect dialect, BodyHandler then) {
        Instant receivedAt = Instant.now();
        long receivedNanos = System.nanoTime();
        BodyReader.read(request).onComplete(read -> {
            if (read.succeeded()) {
                try {
                    then.accept(read.result(), receivedAt, receivedNanos);
                } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                    log.error("the simulator failed on a request to {}; dropping its connection", request.path(), e);
                    Connections.abort(request);
                }
            } else if (read.cause() instanceof BodyReader.TooLarge) {
                Exchange exchange = open(request, dialect, receivedAt, NullNode.getInstance(), 0);
                // The rest of the upload is unread, so this connection cannot carry another request.
                exchange.sendError(SimError.tooLarge(BodyReader.LIMIT), dialect, Outcome.REJECTED)
                        .onComplete(v -> request.connection().close());
            }
            // Any other failure means the client left mid-upload: there is no one to answer.
        });
    }

    private void onBody(HttpServerRequest request, Dialect dialect, Buffer raw, Instant receivedAt,
                        long receivedNanos) {
        JsonNode body = parseOrNull(raw);
        Exchange exchange = open(request, dialect, receivedAt, body != null ? body : rawText(raw), raw.length());
        SimError refusal = dialect.checkHeaders(request.headers());
        if (refusal == null && body == null) {
            refusal = SimError.invalid("We could not parse the JSON body of your request.", null);
        }
        if (refusal != null) {
            exchange.sendError(refusal, dialect, Outcome.REJECTED);
            return;
        }
        ChatCall call;
        FaultSpec headerSpec;
        try {
            call = dialect.parse(body);
            headerSpec = headerFault(request);
        } catch (BadRequest e) {
            exchange.sendError(e.toError(), dialect, Outcome.REJECTED);
            return;
        }
        if (!config.serves(call.model())) {
            exchange.sendError(dialect.modelNotFound(call.model()), dialect, Outcome.REJECTED);
            return;
        }
        FaultSpec activated = faults.activate(call.model(), headerSpec).orElse(null);
        // a model that takes no prefill answers every conversation that ends with the user
        FaultSpec fault = activated != null && activated.rejection() == FaultSpec.Rejection.PREFILL_REJECTED
                && call.prefill() == null ? null : activated;
        log.debug("chat request api={} model={} stream={} fault={}", dialect.api(), call.model(), call.stream(),
                fault == null ? "none" : fault);
        plan(call).onComplete(planned -> {
            if (planned.succeeded()) {
                run(exchange, dialect, call, planned.result(), fault, receivedNanos);
            } else {
                log.warn("could not plan an answer model={}", call.model(), planned.cause());
                exchange.sendError(SimError.generationFailed(), dialect, Outcome.FAULTED);
            }
        });
    }

    /**
     * Journals the request and opens its exchange (embeddings share it).
     *
     * @param bodyBytes the body's size as received, which the journal bounds
     */
    Exchange open(HttpServerRequest request, Dialect dialect, Instant receivedAt, JsonNode body, long bodyBytes) {
        String model = body.path("model").isTextual() ? body.get("model").asText() : "";
        boolean stream = body.path("stream").isBoolean() ? body.get("stream").booleanValue() : dialect.streamByDefault();
        ReceivedRequest received = new ReceivedRequest(receivedAt, dialect.api(), request.path(), model, stream, body,
                maskedHeaders(request), Outcome.IN_PROGRESS);
        return new Exchange(vertx, request, journal.add(received, bodyBytes), inFlight);
    }

    /** Big prompts are tokenized on a worker so the event loop never stalls on them. */
    private Future<Answer> plan(ChatCall call) {
        if (call.textLength() <= Answer.INLINE_TEXT_LIMIT) {
            try {
                return Future.succeededFuture(Answer.plan(call));
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
        }
        return vertx.executeBlocking(() -> Answer.plan(call), false);
    }

    private void run(Exchange exchange, Dialect dialect, ChatCall asked, Answer answer, FaultSpec fault,
                     long receivedNanos) {
        ChatCall call = asked;
        if (exchange.isOver()) {
            return;
        }
        Latency latency = latency(call.model(), fault);
        if (fault != null && fault.failsUpFront()) {
            failUpFront(exchange, dialect, call.model(), answer.promptTokens(), fault);
            return;
        }
        Dialect.Timing timing = new Dialect.Timing(receivedNanos, latency.timeToFirstToken());
        if (fault != null && fault.answerModel() != null) {
            call = call.withModel(fault.answerModel()); // the answer names the model that (says it) answered
        }
        if (call.stream()) {
            new StreamingRun(exchange, dialect.stream(call, answer, timing), answer, latency, fault).start();
        } else {
            new BufferedRun(exchange, dialect, call, answer, latency, fault, timing).start();
        }
    }

    /** A fault that strikes before any answer: a reset, a hang, or an error after its delay. */
    static void failUpFront(Exchange exchange, Dialect dialect, String model, int promptTokens, FaultSpec fault) {
        if (fault.reset()) {
            exchange.abort();
        } else if (fault.hang()) {
            exchange.stall();
        } else {
            SimError error = SimError.forFault(fault, model, promptTokens, dialect);
            Duration delay = fault.timeToFirstToken() != null ? fault.timeToFirstToken() : Duration.ZERO;
            exchange.schedule(delay, () -> exchange.sendError(error, dialect, Outcome.FAULTED));
        }
    }

    Latency latency(String model, FaultSpec fault) {
        Latency base = config.latencyFor(model);
        if (fault == null) {
            return base;
        }
        return new Latency(
                fault.timeToFirstToken() != null ? fault.timeToFirstToken() : base.timeToFirstToken(),
                fault.perToken() != null ? fault.perToken() : base.perToken());
    }

    /** The request's {@code X-Simulator-Fault}, when the config allows it; a bad one is a {@link BadRequest}. */
    FaultSpec headerFault(HttpServerRequest request) {
        String spec = request.getHeader(FAULT_HEADER);
        if (spec == null || !config.allowHeaderFaults()) {
            return null;
        }
        try {
            return FaultSpec.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("X-Simulator-Fault: " + e.getMessage(), null);
        }
    }

    static JsonNode parseOrNull(Buffer raw) {
        try {
            JsonNode node = Json.parse(raw);
            return node == null || node.isMissingNode() ? null : node;
        } catch (IOException e) {
            return null;
        }
    }

    private static JsonNode rawText(Buffer raw) {
        String text = raw.toString();
        return TextNode.valueOf(text.length() > MAX_RAW_BODY_CHARS ? text.substring(0, MAX_RAW_BODY_CHARS) : text);
    }

    private static Map<String, String> maskedHeaders(HttpServerRequest request) {
        Map<String, String> headers = new HashMap<>();
        for (String name : request.headers().names()) {
            String key = name.toLowerCase(Locale.ROOT);
            headers.put(key, SECRET_HEADERS.contains(key) ? "***" : String.join(", ", request.headers().getAll(name)));
        }
        return headers;
    }
}
