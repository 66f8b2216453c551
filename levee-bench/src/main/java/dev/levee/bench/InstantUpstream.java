package dev.levee.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * An OpenAI-compatible upstream that answers at once with the same bodies as bench/'s nginx mock:
 * a fixed {@code chat.completion}, or for {@code "stream":true} a fixed stream of ~20 chunks, the
 * finish, the usage and {@code [DONE]}.
 */
public final class InstantUpstream implements AutoCloseable {
    public static final Buffer COMPLETION = resource("completion.json");
    public static final Buffer STREAM = resource("stream.sse");
    /** The client requests of bench/run.sh's wrk script: non-streamed and streamed. */
    public static final Buffer REQUEST = resource("request.json");
    public static final Buffer REQUEST_STREAM = resource("request-stream.json");

    private final HttpServer server;

    private InstantUpstream(HttpServer server) {
        this.server = server;
    }

    /** Listens on an ephemeral loopback port; blocks until it does. */
    public static InstantUpstream start(Vertx vertx) {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                        .setTcpNoDelay(true))
                .requestHandler(req -> req.body().onSuccess(body -> {
                    boolean stream = body.toString(StandardCharsets.UTF_8).contains("\"stream\":true");
                    req.response()
                            .putHeader("content-type", stream ? "text/event-stream" : "application/json")
                            .end(stream ? STREAM : COMPLETION);
                }));
        return new InstantUpstream(server.listen().toCompletionStage().toCompletableFuture().join());
    }

    public int port() {
        return server.actualPort();
    }

    /** The base URL an OpenAI provider is configured with. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    @Override
    public void close() {
        server.close().toCompletionStage().toCompletableFuture().join();
    }

    static Buffer resource(String name) {
        try (InputStream in = InstantUpstream.class.getResourceAsStream("/bench/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /bench/" + name);
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
