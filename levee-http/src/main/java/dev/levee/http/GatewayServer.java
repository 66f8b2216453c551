package dev.levee.http;

import dev.levee.config.ServerConfig;
import dev.levee.Levee;
import dev.levee.LeveeException;
import dev.levee.RequestIds;
import dev.levee.spi.KeyAdmin;
import dev.levee.spi.UsageReports;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * levee's OpenAI-compatible HTTP face: a Vert.x server over the same {@link Levee} engine the library
 * uses. Every failure it can produce is an OpenAI error object with the right status.
 */
public final class GatewayServer {
    private static final Logger log = LoggerFactory.getLogger("levee.gateway");

    private final Levee levee;
    private final List<HttpServer> servers;
    private final int port;
    private final AtomicInteger inFlight;
    private final AtomicBoolean draining;
    private final BodyBudget bodies;

    private GatewayServer(Levee levee, List<HttpServer> servers, int port, AtomicInteger inFlight,
                          AtomicBoolean draining, BodyBudget bodies) {
        this.levee = levee;
        this.servers = servers;
        this.port = port;
        this.inFlight = inFlight;
        this.draining = draining;
        this.bodies = bodies;
    }

    /**
     * What the admin API works on: the virtual keys and the usage ledger (levee-store's, or your own).
     * Without it {@code /levee/admin/*} answers 404.
     */
    public record Administration(KeyAdmin keys, UsageReports usage) {
        public Administration {
            java.util.Objects.requireNonNull(keys, "keys");
            java.util.Objects.requireNonNull(usage, "usage");
        }
    }

    /** One listener per processor (each on its own event loop, sharing the port). */
    public static Future<GatewayServer> start(Levee levee, ServerConfig config) {
        return start(levee, config, Runtime.getRuntime().availableProcessors(), null);
    }

    /** The same, with the admin API over {@code admin}. */
    public static Future<GatewayServer> start(Levee levee, ServerConfig config, Administration admin) {
        return start(levee, config, Runtime.getRuntime().availableProcessors(), admin);
    }

    /**
     * Starts {@code instances} HTTP servers on the same port. Vert.x pins a server to the event loop
     * that created it, so one server would serve every connection from a single core; several, each
     * created on its own event-loop context, spread connections across the loops.
     */
    public static Future<GatewayServer> start(Levee levee, ServerConfig config, int instances,
                                              Administration administration) {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicBoolean draining = new AtomicBoolean();
        AdminHandlers admin = new AdminHandlers(levee, administration == null ? null
                : new AdminApi(levee, administration));
        BodyBudget bodies = new BodyBudget(levee, config.maxBodyBytes(), config.maxBodyBytesInFlight());
        Handlers chat = new Handlers(
                new EndpointHandler<>(levee, new ChatCompletionsEndpoint(), inFlight, draining::get),
                new EndpointHandler<>(levee, new MessagesEndpoint(), inFlight, draining::get),
                new EndpointHandler<>(levee, new EmbeddingsEndpoint(), inFlight, draining::get), bodies,
                new EndpointHandler<>(levee, new CountTokensEndpoint(), inFlight, draining::get,
                        (request, stream) -> levee.countTokens(request)));
        ConnectionGuard guard = new ConnectionGuard(levee.vertx(), config);
        // Vert.x shares one listening socket among servers on the same host and port, but not an
        // ephemeral one (port 0 binds anew each time): pick a free port first, then all share it.
        int port = config.port() == 0 ? freePort(config.host()) : config.port();
        return listen(levee, config, port, admin, chat, guard).compose(first -> {
            List<Future<HttpServer>> more = new ArrayList<>();
            for (int i = 1; i < instances; i++) {
                more.add(listen(levee, config, port, admin, chat, guard));
            }
            return Future.all(more).map(all -> {
                for (int i = 0; i < all.size(); i++) {
                    HttpServer other = all.resultAt(i);
                    if (other.actualPort() != first.actualPort()) {
                        throw new IllegalStateException("gateway listeners on different ports: "
                                + first.actualPort() + " and " + other.actualPort());
                    }
                }
                List<HttpServer> servers = new ArrayList<>();
                servers.add(first);
                for (int i = 0; i < all.size(); i++) {
                    servers.add(all.resultAt(i));
                }
                return new GatewayServer(levee, List.copyOf(servers), first.actualPort(), inFlight, draining, bodies);
            });
        });
    }

    private static int freePort(String host) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return probe.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot find a free port on " + host, e);
        }
    }

    /** Creates and binds one server in a verticle of its own, so it gets an event loop of its own. */
    private static Future<HttpServer> listen(Levee levee, ServerConfig config, int port, AdminHandlers admin,
                                             Handlers chat, ConnectionGuard guard) {
        Listener listener = new Listener(levee, config, port, admin, chat, guard);
        return levee.vertx().deployVerticle(listener).map(id -> listener.server);
    }

    /** One HTTP server; a verticle only so that Vert.x gives it its own event-loop context. */
    private static final class Listener extends VerticleBase {
        private final Levee levee;
        private final ServerConfig config;
        private final int port;
        private final AdminHandlers admin;
        private final Handlers chat;
        private final ConnectionGuard guard;
        private volatile HttpServer server;

        Listener(Levee levee, ServerConfig config, int port, AdminHandlers admin, Handlers chat,
                 ConnectionGuard guard) {
            this.levee = levee;
            this.config = config;
            this.port = port;
            this.admin = admin;
            this.chat = chat;
            this.guard = guard;
        }

        @Override
        public Future<?> start() {
            return vertx.createHttpServer(options(config, port)).connectionHandler(guard::onConnection)
                    .requestHandler(router(levee, config, admin, chat, guard)).listen().onSuccess(s -> server = s);
        }
    }

    private static Router router(Levee levee, ServerConfig config, AdminHandlers admin, Handlers chat,
                                 ConnectionGuard guard) {
        Router router = Router.router(levee.vertx());
        router.route().handler(guard::onRequest);
        AccessGuard access = new AccessGuard(levee);
        router.route().handler(access::noKeyInQuery);
        // admission by body bytes comes before the body is read: a route of its own, ahead of the body handler
        router.post("/v1/chat/completions").handler(chat.bodies.admission(chat.completions.endpoint()));
        router.post("/v1/chat/completions")
                .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
                .handler(chat.completions);
        router.post("/v1/messages/count_tokens").handler(chat.bodies.admission(chat.countTokens.endpoint()));
        router.post("/v1/messages/count_tokens")
                .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
                .handler(chat.countTokens)
                .failureHandler(rc -> MessagesEndpoint.routingFailure(levee, rc, config.maxBodyBytes()));
        router.post("/v1/messages").handler(chat.bodies.admission(chat.messages.endpoint()));
        router.post("/v1/messages")
                .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
                .handler(chat.messages)
                .failureHandler(rc -> MessagesEndpoint.routingFailure(levee, rc, config.maxBodyBytes()));
        router.post("/v1/embeddings").handler(chat.bodies.admission(chat.embeddings.endpoint()));
        router.post("/v1/embeddings")
                .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
                .handler(chat.embeddings);
        router.get("/v1/models").handler(admin::models);
        router.get("/v1/models/:id").handler(admin::model);
        router.get("/health").handler(admin::health);
        router.get("/health/ready").handler(admin::ready);
        router.route("/levee/admin/*").handler(access::admin);
        router.route("/levee/*").handler(access::reader);
        router.route("/metrics").handler(access::reader);
        router.get("/levee/stats").handler(admin::stats);
        router.get("/levee/breakers").handler(admin::breakers);
        ConsoleViews console = new ConsoleViews(levee);
        router.get("/levee/session").handler(console::session);
        router.get("/levee/traffic").handler(console::traffic);
        router.get("/levee/requests").handler(console::requests);
        router.get("/levee/requests/:id").handler(console::request);
        router.get("/levee/alerts").handler(console::alerts);
        ConsoleViews.page(router);
        router.get("/metrics").handler(admin::metrics);
        admin.adminRoutes(router);

        router.errorHandler(404, rc -> Responses.error(rc.response(),
                ApiError.notFound("unknown route: " + rc.request().method() + " " + safePath(rc))));
        router.errorHandler(405, rc -> Responses.error(rc.response(), new ApiError(405, "invalid_request_error",
                "method_not_allowed", null, "method " + rc.request().method() + " is not allowed on " + safePath(rc))));
        router.errorHandler(413, rc -> Responses.error(rc.response(), unreadBody(levee, rc, new ApiError(413,
                "invalid_request_error", "request_too_large", null,
                "the request body is larger than " + config.maxBodyBytes() + " bytes"))));
        router.errorHandler(400, rc -> Responses.error(rc.response(),
                unreadBody(levee, rc, ApiError.invalid(null, "the request could not be read"))));
        router.errorHandler(500, GatewayServer::internalError);
        return router;
    }

    /**
     * A chat request refused before its handler could read it (a body over the limit, or one the body
     * handler could not take) is a refusal like any other: counted, in telemetry and logged (rate-limited)
     * under the request id the caller gets back. {@code /v1/messages} has its own failure handler, which
     * records them the same way; other paths are not chat requests and are not recorded.
     */
    private static ApiError unreadBody(Levee levee, RoutingContext rc, ApiError error) {
        if ("/v1/chat/completions".equals(rc.request().path()) || "/v1/embeddings".equals(rc.request().path())) {
            String requestId = RequestIds.accept(rc.request().getHeader("x-request-id"));
            rc.response().putHeader(Responses.REQUEST_ID, requestId);
            levee.rejected(requestId, new LeveeException(LeveeException.Kind.INVALID_REQUEST, error.message(),
                    requestId), false);
        }
        return error;
    }

    /** The chat APIs' handlers, shared by every listener. */
    private record Handlers(EndpointHandler<ChatCompletionRequest> completions,
                            EndpointHandler<MessagesRequest> messages,
                            EndpointHandler<EmbeddingsEndpoint.Parsed> embeddings, BodyBudget bodies,
                            EndpointHandler<MessagesRequest> countTokens) {
    }

    private static HttpServerOptions options(ServerConfig config, int port) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(port)
                .setTcpNoDelay(true)
                .setCompressionSupported(false) // Vert.x's default, made explicit: compression would buffer SSE chunks
                // HTTP/1.1 only: h2c upgrades buy nothing on loopback and their GOAWAY on shutdown makes
                // some clients (JDK 17's HttpClient) drop streams that were allowed to finish.
                .setHttp2ClearTextEnabled(false)
                // No WebSockets here: without these Vert.x puts a deflate-extension handler in every
                // connection's pipeline, and every response write passes through it.
                .setPerFrameWebSocketCompressionSupported(false)
                .setPerMessageWebSocketCompressionSupported(false)
                .setMaxInitialLineLength(8192)
                .setMaxHeaderSize(16 * 1024)
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, config.idleTimeout().toMillis()))
                .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS);
        if (config.sendBufferBytes() > 0) {
            options.setSendBufferSize(config.sendBufferBytes());
        }
        return options;
    }

    static String safePath(RoutingContext rc) {
        String path = rc.request().path();
        return path == null ? "/" : printable(path, 200);
    }

    /** A client-supplied string fit to echo: printable ASCII only, at most {@code max} characters. */
    static String printable(String s, int max) {
        String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > max ? clean.substring(0, max) + "..." : clean;
    }

    /** A bug of ours: logged with its stack trace, answered without one. */
    private static void internalError(RoutingContext rc) {
        log.error("unhandled error on {} {}", rc.request().method(), safePath(rc), rc.failure());
        Responses.error(rc.response(), new ApiError(500, "server_error", "internal_error", null,
                "internal error; the request id is in the X-Request-Id header"));
    }

    /** The registry to build levee with when the gateway should serve {@code /metrics}. */
    public static PrometheusMeterRegistry prometheusRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    public int port() {
        return port;
    }

    public Levee levee() {
        return levee;
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** The bytes of request bodies admitted and not yet answered ({@code server.max_body_bytes_in_flight}). */
    public long bodiesHeld() {
        return bodies.held();
    }

    /**
     * Graceful stop: new chat requests get 503, in-flight ones may finish within {@code grace}, then
     * the listeners close.
     */
    public Future<Void> shutdown(Duration grace) {
        draining.set(true);
        List<Future<Void>> closing = new ArrayList<>();
        servers.forEach(server -> closing.add(server.shutdown(grace)));
        return Future.join(closing).mapEmpty();
    }
}
