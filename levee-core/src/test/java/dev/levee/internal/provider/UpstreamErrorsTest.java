package dev.levee.internal.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.ChatRequest;
import dev.levee.Levee;
import dev.levee.LeveeException;
import dev.levee.TestSupport;
import dev.levee.spi.LeveeEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a provider says about a failure: a caller's mistake stays the caller's (a 400, no fallback),
 * and nothing secret or sensitive it echoes leaves levee — not in the error, not in any event.
 */
class UpstreamErrorsTest {
    private static final String KEY = "sk-test-Zq81vX0tLkP4mN7bR2cD";

    private Vertx vertx;
    private HttpServer upstream;
    private final AtomicInteger backupCalls = new AtomicInteger();
    private volatile int status;
    private volatile String body;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        upstream = vertx.createHttpServer().requestHandler(req -> {
            if (req.path().contains("backup")) {
                backupCalls.incrementAndGet();
            }
            req.body().onSuccess(b -> {
                if (b.toString().contains("\"backup\"")) {
                    backupCalls.incrementAndGet();
                    req.response().setStatusCode(200).putHeader("content-type", "application/json").end(
                            "{\"choices\":[{\"message\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}");
                    return;
                }
                req.response().setStatusCode(status).putHeader("content-type", "application/json").end(body);
            });
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
    }

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private Levee levee(List<LeveeEvent> events) {
        return Levee.builder().logRequests(false).listener(events::add).config(TestSupport.config("""
                providers:
                  up: { type: openai, base_url: "http://127.0.0.1:%d/v1", api_key: %s }
                routes:
                  default:
                    tiers:
                      - target: up/primary
                      - target: up/backup
                    rule_based_fallback: true
                resilience:
                  retry: { max_attempts: 1 }
                """.formatted(upstream.actualPort(), KEY))).build();
    }

    @Test
    void aProvidersVerdictThatTheCallersRequestIsInvalidIsA400WithNoFallback() {
        status = 400;
        body = "{\"error\":{\"message\":\"max_tokens is too large: 2147483647\",\"type\":\"invalid_request_error\"}}";
        List<LeveeEvent> events = new CopyOnWriteArrayList<>();
        try (Levee levee = levee(events)) {
            assertThatThrownBy(() -> levee.complete(ChatRequest.builder().user("hi").maxTokens(Integer.MAX_VALUE).build()))
                    .isInstanceOfSatisfying(LeveeException.class, e -> {
                        assertThat(e.kind()).isEqualTo(LeveeException.Kind.INVALID_REQUEST);
                        assertThat(e.getMessage()).contains("max_tokens is too large");
                    });
        }
        assertThat(backupCalls).hasValue(0); // neither the next tier nor the canned reply hides the mistake
    }

    @Test
    void anEchoedKeyAndPersonalDataNeverLeaveLevee() {
        status = 401;
        body = "{\"error\":{\"message\":\"Incorrect API key provided: Bearer " + KEY
                + ". Contact jane.doe@example.com\\nFORGED LOG LINE\",\"type\":\"invalid_request_error\"}}";
        List<LeveeEvent> events = new CopyOnWriteArrayList<>();
        String message;
        try (Levee levee = levee(events)) {
            message = levee.complete(ChatRequest.builder().user("hi").build()).attempts().get(0).error();
        }
        assertThat(message).contains("Incorrect API key provided").doesNotContain(KEY)
                .doesNotContain("jane.doe@example.com").doesNotContain("\n");
        assertThat(events).allSatisfy(e -> assertThat(e.toString()).doesNotContain(KEY).doesNotContain("jane.doe"));
        assertThat(events).anyMatch(e -> e instanceof LeveeEvent.AttemptFailed);
    }
}
