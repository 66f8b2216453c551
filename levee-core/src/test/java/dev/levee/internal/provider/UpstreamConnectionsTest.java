package dev.levee.internal.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.Levee;
import dev.levee.TestSupport;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Upstream connections belong to the event loop that serves the request: a request, its upstream
 * call and its answer stay on one thread instead of hopping to whichever loop opened the pooled
 * connection.
 */
class UpstreamConnectionsTest {
    private static final String COMPLETION = """
            {"id":"c","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,
            "message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],
            "usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""";

    private static final Pattern LOOP = Pattern.compile("from loop (\\d)");

    private final Vertx upstreamVertx = Vertx.vertx();
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private Levee levee;

    @AfterEach
    void stop() throws Exception {
        if (levee != null) {
            levee.close();
        }
        vertx.close().await(10, TimeUnit.SECONDS);
        upstreamVertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aConnectionOpenedForOneEventLoopNeverCarriesAnotherLoopsRequests() throws Exception {
        // Which loop sent each request is in its prompt; the upstream notes it per connection.
        Map<HttpConnection, Set<String>> loopsPerConnection = new ConcurrentHashMap<>();
        HttpServer upstream = upstreamVertx.createHttpServer()
                .requestHandler(req -> req.body().onSuccess(b -> {
                    Matcher m = LOOP.matcher(b.toString());
                    loopsPerConnection.computeIfAbsent(req.connection(), c -> ConcurrentHashMap.newKeySet())
                            .add(m.find() ? m.group(1) : "?");
                    req.response().putHeader("content-type", "application/json").end(COMPLETION);
                }))
                .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        levee = Levee.builder().vertx(vertx).telemetrySink(r -> { }).config(TestSupport.config("""
                providers:
                  up: { type: openai, base_url: "http://127.0.0.1:%d/v1", api_key: sk-test-000000000000 }
                routes:
                  default:
                    tiers: [ { target: up/gpt-4o-mini } ]
                """.formatted(upstream.actualPort()))).build();
        Context[] loops = {deployedContext(), deployedContext()}; // deployments take the event loops in turn
        assertThat(threadOf(loops[0])).isNotEqualTo(threadOf(loops[1]));

        // Bursts from one loop, then the other: a pool shared by the loops would hand the second
        // burst the connections the first one left idle.
        for (int round = 0; round < 6; round++) {
            int n = round % 2;
            List<CompletableFuture<ChatResponse>> burst = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                CompletableFuture<ChatResponse> answer = new CompletableFuture<>();
                burst.add(answer);
                loops[n].runOnContext(v -> levee.chat(ChatRequest.builder().user("from loop " + n).build())
                        .whenComplete((r, e) -> {
                            if (e != null) {
                                answer.completeExceptionally(e);
                            } else {
                                answer.complete(r);
                            }
                        }));
            }
            for (CompletableFuture<ChatResponse> answer : burst) {
                assertThat(answer.get(10, TimeUnit.SECONDS).text()).isEqualTo("ok");
            }
        }
        assertThat(loopsPerConnection.values()).as("the loops whose requests each connection carried")
                .hasSizeGreaterThanOrEqualTo(2).allSatisfy(loopsSeen -> assertThat(loopsSeen).hasSize(1));
    }

    private Context deployedContext() throws Exception {
        CompletableFuture<Context> deployed = new CompletableFuture<>();
        vertx.deployVerticle(new AbstractVerticle() {
            @Override
            public void start() {
                deployed.complete(context);
            }
        }).await(10, TimeUnit.SECONDS);
        return deployed.get(10, TimeUnit.SECONDS);
    }

    private static String threadOf(Context context) throws Exception {
        CompletableFuture<String> name = new CompletableFuture<>();
        context.runOnContext(v -> name.complete(Thread.currentThread().getName()));
        return name.get(10, TimeUnit.SECONDS);
    }
}
