package dev.levee.internal.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.config.ProviderConfig;
import dev.levee.spi.FailureKind;
import dev.levee.spi.ProviderAdapter;
import dev.levee.spi.ProviderCall;
import dev.levee.spi.ProviderException;
import dev.levee.spi.ProviderReply;
import dev.levee.spi.ProviderStream;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP half every adapter shares: pooled Vert.x clients per provider (one per event loop), the attempt's time
 * budget as a timer that resets the request, and the mapping of connection failures. Subclasses
 * only know their wire format.
 */
public abstract class HttpProviderAdapter implements ProviderAdapter {
    private static final int MAX_ERROR_BODY = 64 * 1024;
    // Header names and fixed values pre-encoded as ASCII, like Vert.x's own HttpHeaders names: Vert.x
    // skips re-validating them and Netty copies their bytes at once instead of char by char.
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence ACCEPT_STREAM = HttpHeaders.createOptimized("text/event-stream, application/x-ndjson");
    private static final CharSequence X_REQUEST_ID = HttpHeaders.createOptimized("x-request-id");

    protected final Vertx vertx;
    protected final ProviderConfig config;
    private final HttpClientOptions clientOptions;
    private final PoolOptions poolOptions;
    /** Calls made off the event loops (pings from a worker, tests). */
    private final HttpClientAgent shared;
    /** One client per event loop: see {@link #client()}. */
    private final Map<Thread, HttpClientAgent> perEventLoop = new ConcurrentHashMap<>();
    private final URI baseUrl;
    /** {@code Bearer <key>}, or null without a key. */
    private final CharSequence bearer;
    private volatile String requestUri;

    protected HttpProviderAdapter(Vertx vertx, ProviderConfig config, URI baseUrl) {
        this.vertx = vertx;
        this.config = config;
        this.bearer = bearer(config);
        this.baseUrl = baseUrl;
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .setDecompressionSupported(true)
                .setSsl("https".equals(baseUrl.getScheme()))
                .setDefaultHost(baseUrl.getHost())
                .setDefaultPort(port(baseUrl));
        if (config.receiveBufferBytes() > 0) {
            options.setReceiveBufferSize(config.receiveBufferBytes());
        }
        // Streams hold their connection for the whole answer: size the pool for concurrency and
        // bound the queue, or load silently serialises behind Vert.x's default of 5 connections per host.
        PoolOptions pool = new PoolOptions()
                .setHttp1MaxSize(config.maxConnections())
                .setMaxWaitQueueSize(config.maxConnections() * 16);
        this.clientOptions = options;
        this.poolOptions = pool;
        this.shared = newClient();
    }

    private HttpClientAgent newClient() {
        return vertx.httpClientBuilder().with(clientOptions).with(poolOptions).build();
    }

    /**
     * The client for the calling thread. Vert.x's pool hands a request any idle connection, and a
     * connection lives on the event loop that opened it; when that is not the caller's loop, every
     * response hops between loops (a task queue and a wake-up each way). A client per event loop
     * opens its connections on that loop, so a request, its upstream call and its answer stay on
     * one thread. The pool size ({@code max_connections}) applies per event loop.
     */
    private HttpClientAgent client() {
        if (!io.vertx.core.Context.isOnEventLoopThread()) {
            return shared;
        }
        Thread loop = Thread.currentThread();
        HttpClientAgent client = perEventLoop.get(loop);
        return client != null ? client : perEventLoop.computeIfAbsent(loop, t -> newClient());
    }

    /** Host, port and scheme come from the client options; each request only sets its path. */
    private RequestOptions post() {
        String uri = requestUri;
        if (uri == null) {
            String base = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
            uri = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path();
            if (baseUrl.getRawQuery() != null) {
                uri += "?" + baseUrl.getRawQuery();
            }
            requestUri = uri;
        }
        return new RequestOptions().setMethod(HttpMethod.POST).setURI(uri);
    }

    /** A POST to another path under the base URL (embeddings). */
    private RequestOptions post(String path) {
        String base = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
        String uri = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
        if (baseUrl.getRawQuery() != null) {
            uri += "?" + baseUrl.getRawQuery();
        }
        return new RequestOptions().setMethod(HttpMethod.POST).setURI(uri);
    }

    /** The embeddings path under the base URL, or {@code null} when the API has none. */
    protected String embeddingsPath() {
        return null;
    }

    /**
     * The embeddings request body: {@code model}, {@code input} as an array of the texts, and
     * {@code dimensions} when asked — the fields OpenAI's and Ollama's APIs share; an adapter adds its own.
     */
    protected com.fasterxml.jackson.databind.node.ObjectNode embeddingsBody(ProviderCall call) {
        com.fasterxml.jackson.databind.node.ObjectNode body = Json.object().put("model", call.model());
        com.fasterxml.jackson.databind.node.ArrayNode input = body.putArray("input");
        call.embedding().texts().forEach(input::add);
        if (call.embedding().dimensions() != null) {
            body.put("dimensions", call.embedding().dimensions());
        }
        return body;
    }

    /** The vectors of a 200 embeddings body, in input order; throws MALFORMED when it cannot read them. */
    protected ProviderReply parseEmbeddings(JsonNode body) {
        throw new UnsupportedOperationException(name() + " has no embeddings");
    }

    @Override
    public Future<ProviderReply> embed(ProviderCall call) {
        if (embeddingsPath() == null || call.embedding() == null) {
            return ProviderAdapter.super.embed(call);
        }
        return exchange(call, post(embeddingsPath()), embeddingsBody(call), false, (request, response) -> {
            if (response.statusCode() != 200) {
                return errorFrom(response);
            }
            return response.body().map(b -> {
                JsonNode json = Json.parseOrNull(b);
                if (json == null || !json.isObject()) {
                    throw new ProviderException(FailureKind.MALFORMED, 200, name() + ": response is not a JSON object",
                            null);
                }
                ProviderReply reply = parseEmbeddings(json);
                checkVectors(reply.embeddings(), call.embedding());
                return reply;
            });
        });
    }

    /** One vector per input, all of one length (the asked one, when asked): else the answer is unusable. */
    private void checkVectors(List<float[]> vectors, dev.levee.EmbeddingInput input) {
        String problem = null;
        if (vectors.size() != input.texts().size()) {
            problem = vectors.size() + " vectors for " + input.texts().size() + " inputs";
        } else {
            int length = vectors.get(0).length;
            for (float[] v : vectors) {
                if (v.length != length || length == 0) {
                    problem = "vectors of different lengths";
                    break;
                }
            }
            if (problem == null && input.dimensions() != null && length != input.dimensions()) {
                problem = "vectors of length " + length + ", not the " + input.dimensions() + " asked for";
            }
        }
        if (problem != null) {
            throw new ProviderException(FailureKind.MALFORMED, 200, name() + ": embeddings answer with " + problem,
                    null);
        }
    }

    /** The path under the base URL, e.g. {@code /api/chat}. */
    protected abstract String path();

    /** Provider-specific headers (credentials, versions). */
    protected abstract void addHeaders(MultiMap headers);

    protected abstract JsonNode requestBody(ProviderCall call, boolean stream);

    /** Reads a 200 non-streaming body; throws {@link ProviderException} (MALFORMED) when it cannot. */
    protected abstract ProviderReply parseReply(JsonNode body);

    /**
     * Reads a 200 non-streaming body as bytes: parses it into a tree for {@link
     * #parseReply(JsonNode)}. An adapter may read the bytes directly instead (OpenAI's does).
     */
    protected ProviderReply parseReply(Buffer body) {
        JsonNode json = Json.parseOrNull(body);
        if (json == null || !json.isObject()) {
            throw new ProviderException(FailureKind.MALFORMED, 200, name() + ": response is not a JSON object", null);
        }
        return parseReply(json);
    }

    /** Maps an error status and body to a failure. */
    protected abstract ProviderException classify(int status, MultiMap headers, JsonNode body, String rawBody);

    protected abstract StreamDecoder newDecoder(ProviderCall call);

    protected String name() {
        return config.name();
    }

    @Override
    public Future<ProviderReply> complete(ProviderCall call) {
        return exchange(call, false, (request, response) -> {
            if (response.statusCode() != 200) {
                return errorFrom(response);
            }
            return response.body().map(this::parseReply);
        });
    }

    @Override
    public Future<ProviderStream> stream(ProviderCall call) {
        long firstTokenDeadline = System.nanoTime() + call.timeout().toNanos();
        return exchange(call, true, (request, response) -> {
            if (response.statusCode() != 200) {
                return errorFrom(response);
            }
            return Future.succeededFuture(new HttpStream(vertx, request, response, name(), newDecoder(call),
                    firstTokenDeadline, Math.max(1, call.idleTimeout().toMillis())));
        });
    }

    @Override
    public Future<Boolean> ping() {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
                .setAbsoluteURI(baseUrl + pingPath()).setTimeout(3_000);
        addHeaders(setHeaders(options));
        return client().request(options)
                .compose(HttpClientRequest::send)
                .compose(r -> r.body().map(b -> r.statusCode() < 500))
                .otherwise(false);
    }

    private static MultiMap setHeaders(RequestOptions options) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        options.setHeaders(headers);
        return headers;
    }

    /** A cheap GET that tells whether the provider is up. */
    protected String pingPath() {
        return "/";
    }

    @Override
    public Future<Void> close() {
        List<Future<Void>> closing = new ArrayList<>();
        closing.add(shared.close());
        perEventLoop.values().forEach(c -> closing.add(c.close()));
        return Future.all(closing).mapEmpty();
    }

    private interface ResponseHandler<T> {
        Future<T> handle(HttpClientRequest request, HttpClientResponse response);
    }

    /**
     * Sends the call and hands the response to {@code then}, all inside the attempt's time budget:
     * when the timer fires first, the request is reset and the attempt fails with TIMEOUT.
     */
    private <T> Future<T> exchange(ProviderCall call, boolean stream, ResponseHandler<T> then) {
        return exchange(call, post(), requestBody(call, stream), stream, then);
    }

    private <T> Future<T> exchange(ProviderCall call, RequestOptions options, JsonNode requestBody, boolean stream,
                                   ResponseHandler<T> then) {
        Promise<T> result = Promise.promise();
        MultiMap headers = setHeaders(options);
        headers.set(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON);
        headers.set(HttpHeaders.ACCEPT, stream ? ACCEPT_STREAM : APPLICATION_JSON);
        if (call.requestId() != null) {
            headers.set(X_REQUEST_ID, call.requestId());
        }
        addHeaders(headers);
        call.headers().forEach(headers::set);
        Buffer body = Json.toBuffer(requestBody);
        long budgetMillis = Math.max(1, call.timeout().toMillis());

        HttpClientRequest[] sent = new HttpClientRequest[1];
        long timer = vertx.setTimer(budgetMillis, id -> {
            ProviderException timeout = new ProviderException(FailureKind.TIMEOUT, 0,
                    name() + ": no " + (stream ? "response" : "complete response") + " within " + budgetMillis + " ms", null);
            if (result.tryFail(timeout) && sent[0] != null) {
                sent[0].reset();
            }
        });
        call.abandoned().onComplete(v -> {
            if (result.tryFail(new ProviderException(FailureKind.CANCELLED, name() + ": cancelled by the caller"))
                    && sent[0] != null) {
                sent[0].reset();
            }
        });
        client().request(options)
                .compose(request -> {
                    sent[0] = request;
                    // Failures arrive through the futures; our own resets must not be logged as errors.
                    request.exceptionHandler(ignored -> { });
                    if (result.future().isComplete()) {
                        request.reset();
                        return Future.failedFuture(new ProviderException(FailureKind.TIMEOUT, name() + ": timed out"));
                    }
                    return request.send(body).compose(response -> then.handle(request, response));
                })
                .onComplete(ar -> {
                    // A stream's budget continues inside HttpStream; a completion's ends here.
                    vertx.cancelTimer(timer);
                    if (ar.succeeded()) {
                        if (!result.tryComplete(ar.result()) && ar.result() instanceof ProviderStream late) {
                            late.cancel();
                        }
                    } else {
                        result.tryFail(toProviderException(ar.cause()));
                    }
                });
        return result.future();
    }

    private <T> Future<T> errorFrom(HttpClientResponse response) {
        int status = response.statusCode();
        MultiMap headers = response.headers();
        return response.body().transform(ar -> {
            String raw = ar.succeeded() ? truncate(ar.result()) : "";
            JsonNode json = Json.parseOrNull(raw);
            return Future.failedFuture(classify(status, headers, json, raw));
        });
    }

    private static String truncate(Buffer body) {
        Buffer b = body.length() > MAX_ERROR_BODY ? body.getBuffer(0, MAX_ERROR_BODY) : body;
        return b.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private ProviderException toProviderException(Throwable e) {
        if (e instanceof ProviderException pe) {
            return pe;
        }
        if (e instanceof TimeoutException) {
            return new ProviderException(FailureKind.TIMEOUT, name() + ": " + describe(e));
        }
        return new ProviderException(FailureKind.CONNECT, name() + ": " + describe(e));
    }

    static String describe(Throwable e) {
        String kind = e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
        return e.getMessage() == null ? kind : kind + " (" + e.getMessage() + ")";
    }

    /** {@code Retry-After} as seconds or an HTTP date, or OpenAI's {@code retry-after-ms}. */
    protected static Duration retryAfter(MultiMap headers) {
        String ms = headers.get("retry-after-ms");
        if (ms != null) {
            try {
                return Duration.ofMillis(Math.max(0, (long) Double.parseDouble(ms.trim())));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        String value = headers.get("retry-after");
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofMillis(Math.max(0, (long) (Double.parseDouble(value.trim()) * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(java.time.Instant.now(), when.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (java.time.format.DateTimeParseException e) {
                return null;
            }
        }
    }

    /** A failure for a status, with the provider's own message when it gave one. */
    protected ProviderException failure(FailureKind kind, int status, String message, MultiMap headers) {
        String text = message == null || message.isBlank() ? "HTTP " + status : UpstreamText.clean(message, secrets());
        return new ProviderException(kind, status, name() + ": " + text, retryAfter(headers));
    }

    /** The values this adapter sends that must never come back out: its key and its extra headers. */
    private java.util.List<String> secrets() {
        java.util.List<String> secrets = new java.util.ArrayList<>(config.headers().values());
        if (config.apiKey() != null) {
            secrets.add(config.apiKey().reveal());
        }
        return secrets;
    }

    /** {@code Authorization: Bearer <key>} and the configured extra headers: OpenAI's and Ollama's way. */
    protected final void addBearerHeaders(MultiMap headers) {
        if (bearer != null) {
            headers.set(HttpHeaders.AUTHORIZATION, bearer);
        }
        config.headers().forEach(headers::set);
    }

    /**
     * The bearer credential, built once. Pre-encoded ASCII when it is ASCII (every real key is), so
     * Netty copies it in one go; anything else stays a String for Vert.x to validate as it always did.
     */
    private static CharSequence bearer(ProviderConfig config) {
        if (config.apiKey() == null) {
            return null;
        }
        String value = "Bearer " + config.apiKey().reveal();
        return StandardCharsets.US_ASCII.newEncoder().canEncode(value) ? HttpHeaders.createOptimized(value) : value;
    }

    /** The conversation as {@code messages: [{role, content}]}, the shape OpenAI and Ollama share. */
    /** Plain-text messages, instructions as {@code system}: for formats that know nothing else. */
    protected static void putMessages(com.fasterxml.jackson.databind.node.ObjectNode body,
                                      java.util.List<dev.levee.Message> messages) {
        com.fasterxml.jackson.databind.node.ArrayNode array = body.putArray("messages");
        for (dev.levee.Message m : messages) {
            String role = m.role().instructs() ? "system" : m.role().wireName();
            array.addObject().put("role", role).put("content", m.content());
        }
    }

    /** Whether a 400's lower-cased message says the prompt is too long for the model. */
    protected static boolean looksLikeContextLength(String lowerMessage) {
        return lowerMessage.contains("context length") || lowerMessage.contains("context window");
    }

    /** Whether a 400's lower-cased message says the content was refused (no structured code to go by). */
    protected static boolean looksLikeContentRefusal(String lowerMessage) {
        return lowerMessage.contains("content policy") || lowerMessage.contains("content_policy")
                || lowerMessage.contains("content filter") || lowerMessage.contains("safety system");
    }

    private static int port(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme()) ? 443 : 80;
    }

    protected static Map<String, String> noHeaders() {
        return Map.of();
    }
}
