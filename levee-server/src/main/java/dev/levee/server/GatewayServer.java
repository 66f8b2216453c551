package dev.levee.server;

import dev.levee.config.ServerConfig;
import dev.levee.engine.Engine;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * levee's OpenAI-compatible HTTP face: a Vert.x server over the same {@link Engine} the library
 * uses. Every failure it can produce is an OpenAI error object with the right status.
 */
public final class GatewayServer {
    private static final Logger log = LoggerFactory.getLogger("levee.gateway");

    private final Engine engine;
    private final HttpServer server;
    private final AtomicInteger inFlight;
    private final AtomicBoolean draining;

    private GatewayServer(Engine engine, HttpServer server, AtomicInteger inFlight, AtomicBoolean draining) {
        this.engine = engine;
        this.server = server;
        this.inFlight = inFlight;
        this.draining = draining;
    }

    public static Future<GatewayServer> start(Engine engine, ServerConfig config) {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicBoolean draining = new AtomicBoolean();
        Router router = Router.router(engine.vertx());
        AdminHandlers admin = new AdminHandlers(engine);
        ChatCompletionsHandler chat = new ChatCompletionsHandler(engine, inFlight, draining::get);

        router.post("/v1/chat/completions")
                .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
                .handler(chat);
        router.get("/v1/models").handler(admin::models);
        router.get("/health").handler(admin::health);
        router.get("/health/ready").handler(admin::ready);
        router.get("/levee/stats").handler(admin::stats);
        router.get("/levee/breakers").handler(admin::breakers);
        router.get("/metrics").handler(admin::metrics);

        router.errorHandler(404, rc -> Responses.error(rc.response(),
                ApiError.notFound("unknown route: " + rc.request().method() + " " + safePath(rc))));
        router.errorHandler(405, rc -> Responses.error(rc.response(), new ApiError(405, "invalid_request_error",
                "method_not_allowed", null, "method " + rc.request().method() + " is not allowed on " + safePath(rc))));
        router.errorHandler(413, rc -> Responses.error(rc.response(), new ApiError(413, "invalid_request_error",
                "request_too_large", null, "the request body is larger than " + config.maxBodyBytes() + " bytes")));
        router.errorHandler(400, rc -> Responses.error(rc.response(),
                ApiError.invalid(null, "the request could not be read")));
        router.errorHandler(500, GatewayServer::internalError);

        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                .setTcpNoDelay(true)
                .setCompressionSupported(false) // compression would buffer SSE chunks (STACK.md P20)
                // HTTP/1.1 only: h2c upgrades buy nothing on loopback and their GOAWAY on shutdown makes
                // some clients (JDK 17's HttpClient) drop streams that were allowed to finish.
                .setHttp2ClearTextEnabled(false)
                .setMaxInitialLineLength(8192)
                .setMaxHeaderSize(16 * 1024);
        return engine.vertx().createHttpServer(options).requestHandler(router).listen()
                .map(server -> new GatewayServer(engine, server, inFlight, draining));
    }

    private static String safePath(RoutingContext rc) {
        String path = rc.request().path();
        if (path == null) {
            return "/";
        }
        path = path.replaceAll("[^\\x20-\\x7e]", "?");
        return path.length() > 200 ? path.substring(0, 200) + "..." : path;
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
        return server.actualPort();
    }

    public Engine engine() {
        return engine;
    }

    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Graceful stop: new chat requests get 503, in-flight ones may finish within {@code grace}, then
     * the listener closes.
     */
    public Future<Void> shutdown(Duration grace) {
        draining.set(true);
        return server.shutdown(grace);
    }
}
