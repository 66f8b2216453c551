package dev.levee.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.LeveeException;
import dev.levee.spi.LeveeEvent;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A request refused before it could be read is still seen: an event for logs, metrics and telemetry. */
class RejectedRequestsTest {
    private static GatewayFixture gw;
    private static final List<LeveeEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        gw = new GatewayFixture("""
                routes:
                  default:
                    tiers:
                      - target: sim/primary
                """);
        gw.levee.addListener(events::add);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void unreadableJsonIsRecordedAsARefusalWithoutItsBody() throws Exception {
        events.clear();
        HttpResponse<String> r = gw.post("/v1/chat/completions", "{\"model\": \"default\", \"messages\": [sk-secret-body");

        assertThat(r.statusCode()).isEqualTo(400);
        String requestId = r.headers().firstValue("x-request-id").orElseThrow();
        assertThat(events).filteredOn(e -> e instanceof LeveeEvent.RequestFailed).singleElement().satisfies(e -> {
            LeveeEvent.RequestFailed failed = (LeveeEvent.RequestFailed) e;
            assertThat(failed.requestId()).isEqualTo(requestId);
            assertThat(failed.error().kind()).isEqualTo(LeveeException.Kind.INVALID_REQUEST);
            assertThat(failed.request()).isNull();
            assertThat(failed.toString()).doesNotContain("sk-secret-body");
        });
        assertThat(gw.get("/metrics").body()).contains("status=\"invalid_request\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/chat/completions", "/v1/messages"})
    void aBodyOverTheLimitIsRecordedUnderTheRequestIdTheCallerGets(String path) throws Exception {
        events.clear();
        HttpResponse<String> r = gw.post(path, "{\"model\": \"default\", \"pad\": \"" + "x".repeat(70_000) + "\"}",
                "x-request-id", "too-big-" + path.length());

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.headers().firstValue("x-request-id")).hasValue("too-big-" + path.length());
        assertThat(events).filteredOn(e -> e instanceof LeveeEvent.RequestFailed).singleElement().satisfies(e -> {
            LeveeEvent.RequestFailed failed = (LeveeEvent.RequestFailed) e;
            assertThat(failed.requestId()).isEqualTo("too-big-" + path.length());
            assertThat(failed.error().kind()).isEqualTo(LeveeException.Kind.INVALID_REQUEST);
            assertThat(failed.error().getMessage()).contains("65536");
        });
    }

    @Test
    void aTooLargeBodyOnAnotherPathIsNotAChatRefusal() throws Exception {
        events.clear();
        HttpResponse<String> r = gw.post("/levee/admin/keys", "{\"name\": \"" + "x".repeat(70_000) + "\"}");

        assertThat(r.statusCode()).isBetween(400, 499);
        assertThat(events).noneMatch(e -> e instanceof LeveeEvent.RequestFailed);
    }
}
