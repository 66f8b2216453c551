package dev.levee.simulator;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake LLM provider on a real HTTP port: speaks Ollama ({@code /api/chat}), OpenAI
 * ({@code /v1/chat/completions}) and Anthropic ({@code /v1/messages}), streaming or not, with
 * deterministic answers, jtokkit token counts, latency and injectable faults.
 *
 * <pre>{@code
 * try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
 *     sim.faults().set("gpt-4o", "status=503,times=2");
 *     // point a client at sim.baseUrl() + "/v1"
 * }
 * }</pre>
 */
public final class Simulator implements AutoCloseable {

    private static final long BLOCKING_TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final HttpServer server;
    private final FaultRules faults;
    private final RequestJournal journal;
    private final AtomicInteger inFlight;
    private final String clientHost;

    private Simulator(Vertx vertx, boolean ownsVertx, HttpServer server, FaultRules faults, RequestJournal journal,
                      AtomicInteger inFlight, String bindHost) {
        this.vertx = vertx;
        this.clientHost = clientHost(bindHost);
        this.ownsVertx = ownsVertx;
        this.server = server;
        this.faults = faults;
        this.journal = journal;
        this.inFlight = inFlight;
    }

    /** Starts on the given Vert.x instance, which stays the caller's to close. */
    public static Future<Simulator> start(Vertx vertx, SimulatorConfig config) {
        return start(vertx, config, false);
    }

    /** Starts on a Vert.x instance of its own, closed by {@link #close()}; blocks until listening. */
    public static Simulator start(SimulatorConfig config) {
        Vertx vertx = Vertx.vertx();
        try {
            return await(start(vertx, config, true));
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    private static Future<Simulator> start(Vertx vertx, SimulatorConfig config, boolean ownsVertx) {
        FaultRules faults = new FaultRules(config.faultsByModel());
        RequestJournal journal = new RequestJournal();
        AtomicInteger inFlight = new AtomicInteger();
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                .setTcpNoDelay(true)
                .setHandle100ContinueAutomatically(true);
        ChatEndpoint chat = new ChatEndpoint(vertx, config, faults, journal, inFlight);
        Routes routes = new Routes(config, chat, new EmbeddingsEndpoint(vertx, config, faults, chat));
        // The token table takes a moment to build; do it once on a worker, never on the event loop.
        return vertx.executeBlocking(() -> {
                    Tokens.warmUp();
                    return null;
                })
                .compose(v -> vertx.createHttpServer(options).requestHandler(routes).listen())
                .map(server -> new Simulator(vertx, ownsVertx, server, faults, journal, inFlight, config.host()));
    }

    public int port() {
        return server.actualPort();
    }

    /** {@code http://127.0.0.1:PORT}, or the configured host when it is a specific address other than a wildcard. */
    public String baseUrl() {
        return "http://" + clientHost + ":" + port();
    }

    public FaultRules faults() {
        return faults;
    }

    public RequestJournal journal() {
        return journal;
    }

    /** Chat requests still being answered (including hanging and stalled ones). */
    int inFlight() {
        return inFlight.get();
    }

    public Future<Void> closeAsync() {
        if (!ownsVertx) {
            return server.close();
        }
        // A promise without a context: listeners on the server's future would be dispatched to an
        // event loop that closing Vert.x shuts down, and so would never run.
        Promise<Void> closed = Promise.promise();
        server.close().onComplete(ar -> vertx.close().onComplete(closed));
        return closed.future();
    }

    /** Blocks until closed; must not be called on an event-loop thread. */
    @Override
    public void close() {
        await(server.close());
        if (ownsVertx) {
            await(vertx.close());
        }
    }

    /** Where a client should connect: loopback for wildcard binds, brackets for IPv6 literals. */
    private static String clientHost(String bindHost) {
        if (bindHost.equals("0.0.0.0") || bindHost.equals("::") || bindHost.equals("[::]")) {
            return "127.0.0.1";
        }
        return bindHost.contains(":") && !bindHost.startsWith("[") ? "[" + bindHost + "]" : bindHost;
    }

    private static <T> T await(Future<T> future) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("blocking simulator call on an event-loop thread; use the async variant");
        }
        try {
            return future.toCompletionStage().toCompletableFuture().get(BLOCKING_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the simulator", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("simulator operation failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("simulator operation timed out after " + BLOCKING_TIMEOUT_SECONDS + " s", e);
        }
    }
}
