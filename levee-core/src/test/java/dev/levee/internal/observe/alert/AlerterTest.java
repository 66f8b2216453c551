package dev.levee.internal.observe.alert;

import dev.levee.config.AlertSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.levee.AnomalyScore;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.FinishReason;
import dev.levee.Levee;
import dev.levee.TestSupport;
import dev.levee.TestSupport.MutableClock;
import dev.levee.Usage;
import dev.levee.config.LeveeConfig;
import dev.levee.spi.LeveeEvent.CircuitStateChanged;
import dev.levee.spi.LeveeEvent.RequestCompleted;
import dev.levee.simulator.Simulator;
import dev.levee.spi.AnomalyDetector;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Alerts end to end: events (from a real levee against the simulator, or built by hand for storms)
 * into the {@link Alerter}, out through {@link WebhookAlertSink} to a real loopback receiver. Time
 * is a clock moved by hand; only the absence of further calls is watched briefly on the wall clock.
 */
class AlerterTest {
    /** Slack-style: the secret is in the path. */
    private static final String HOOK_PATH = "/services/T0001/B0002/hooksecretXYZ";
    private static final String KEY = "sk-live-ALERTTESTKEY0123456789abcdef";
    private static final Duration QUIET = Duration.ofMillis(300);

    private Vertx vertx;
    private HttpServer receiver;
    private String url;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        receiver = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            if (req.path().equals(HOOK_PATH)) {
                bodies.add(body.toString());
            }
            req.response().setStatusCode(200).end("ok");
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        url = "http://127.0.0.1:" + receiver.actualPort() + HOOK_PATH;
        logs.start();
        ((Logger) LoggerFactory.getLogger("levee.alert")).addAppender(logs);
    }

    @AfterEach
    void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger("levee.alert")).detachAppender(logs);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private AlertSettings.Builder settings() {
        return AlertSettings.builder().webhookUrl(url).incidentWindow(Duration.ofMinutes(5))
                .timeout(Duration.ofSeconds(2));
    }

    private Alerter alerter(AlertSettings settings) {
        return Alerter.create(vertx, settings, clock);
    }

    private List<JsonObject> alerts() {
        return bodies.stream().map(JsonObject::new).map(b -> b.getJsonObject("levee_alert")).toList();
    }

    private List<JsonObject> alertsOfKind(String kind) {
        return alerts().stream().filter(a -> a.getString("kind").equals(kind)).toList();
    }

    /** Waits for exactly {@code n} webhook calls, then makes sure no more arrive. */
    private void awaitCalls(int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> bodies.size() >= n);
        await().during(QUIET).atMost(QUIET.multipliedBy(4)).until(() -> bodies.size() == n);
    }

    private static RequestCompleted answered(String id, String model, double score, int fallbackLevel) {
        ChatResponse r = new ChatResponse("An answer.", model, "sim", "default", Usage.of(5, 50), FinishReason.STOP,
                100, fallbackLevel, id, Instant.EPOCH, List.of());
        return new RequestCompleted(id, Instant.EPOCH, ChatRequest.of("a prompt"), r, null, false,
                new AnomalyScore(score, List.of("latency 12x the p50 baseline (1200 ms vs 100 ms)")), Map.of(), 0L);
    }

    @Test
    void aStormOfAnomaliesIsOneWebhookCallPerIncidentWindow() {
        Alerter alerter = alerter(settings().build());
        Instant start = clock.instant();
        for (int i = 0; i < 1000; i++) {
            alerter.onEvent(answered("req-" + i, "gemma3:4b", 0.93, 0));
            clock.advance(Duration.ofMillis(100));
        }
        awaitCalls(1);
        JsonObject first = alerts().get(0);
        assertThat(first.getString("kind")).isEqualTo("anomaly");
        assertThat(first.getString("key")).isEqualTo("gemma3:4b");
        assertThat(first.getInteger("count")).isEqualTo(1);
        assertThat(first.getJsonObject("fields").getString("score")).isEqualTo("0.93");
        assertThat(first.getJsonObject("fields").getString("reasons")).contains("latency 12x the p50 baseline");

        clock.advance(Duration.ofMinutes(5)); // 100 s of storm + 5 min: past the window of the first page
        alerter.onEvent(answered("req-1000", "gemma3:4b", 0.91, 0));

        awaitCalls(2);
        JsonObject second = alerts().get(1);
        assertThat(second.getInteger("count")).as("999 held back + this one").isEqualTo(1000);
        assertThat(second.getString("first_seen")).isEqualTo(start.plusMillis(100).toString());
        assertThat(second.getString("last_seen")).isEqualTo(clock.instant().toString());
        assertThat(new JsonObject(bodies.get(1)).getString("text")).contains("1000 times since");
        assertThat(alerter.close().toCompletionStage().toCompletableFuture()).succeedsWithin(Duration.ofSeconds(5));
    }

    @Test
    void heldBackOccurrencesAreReportedWhenTheWindowHasPassed() {
        Alerter alerter = alerter(settings().build());
        for (int i = 0; i < 3; i++) {
            alerter.onEvent(answered("req-" + i, "m", 0.9, 0));
        }
        awaitCalls(1);

        clock.advance(Duration.ofMinutes(6));
        alerter.flush();

        awaitCalls(2);
        assertThat(alerts().get(1).getInteger("count")).isEqualTo(2);
    }

    @Test
    void eachModelIsItsOwnIncidentAndScoresAtTheThresholdAreQuiet() {
        Alerter alerter = alerter(settings().build());
        alerter.onEvent(answered("r1", "a", 0.7, 0));
        alerter.onEvent(answered("r2", "a", 0.2, 0));
        alerter.onEvent(answered("r3", "a", 0.95, 0));
        alerter.onEvent(answered("r4", "b", 0.95, 0));
        alerter.onEvent(answered("r5", "b", 0.95, 0));

        awaitCalls(2);
        assertThat(alerts()).extracting(a -> a.getString("key")).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aBreakerThatOpensRaisesACriticalAlertAndItsRecoveryAResolution() {
        Alerter alerter = alerter(settings().build());
        try (Simulator sim = TestSupport.simulator();
             Levee levee = levee(sim, """
                     routes:
                       default:
                         tiers:
                           - target: sim/primary
                           - target: sim/backup
                     resilience:
                       circuit_breaker:
                         { consecutive_failures: 3, window: 6, minimum_calls: 6, open_for: 30s, half_open_probes: 2 }
                       retry: { max_attempts: 1 }
                     """, alerter, AnomalyDetector.NONE)) {
            sim.faults().set("primary", "status=503");
            for (int i = 0; i < 3; i++) {
                levee.process("fail " + i);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> !alertsOfKind("breaker_open").isEmpty());
            JsonObject open = alertsOfKind("breaker_open").get(0);
            assertThat(open.getString("severity")).isEqualTo("critical");
            assertThat(open.getString("key")).isEqualTo("sim/primary");
            assertThat(open.getBoolean("resolved")).isFalse();

            sim.faults().clear("primary");
            clock.advance(Duration.ofSeconds(31));
            levee.process("probe 1");
            levee.process("probe 2");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> alertsOfKind("breaker_open").size() == 2);
        JsonObject closed = alertsOfKind("breaker_open").get(1);
        assertThat(closed.getBoolean("resolved")).isTrue();
        assertThat(closed.getString("title")).isEqualTo("Circuit breaker closed again for sim/primary");
    }

    @Test
    void aFlappingBreakerPagesOnceAndResolvesOncePerWindow() {
        Alerter alerter = alerter(settings().build());
        for (int i = 0; i < 10; i++) {
            alerter.onEvent(new CircuitStateChanged(null, clock.instant(), "sim/primary", "HALF_OPEN", "OPEN"));
            clock.advance(Duration.ofSeconds(10));
            alerter.onEvent(new CircuitStateChanged(null, clock.instant(), "sim/primary", "HALF_OPEN", "CLOSED"));
            clock.advance(Duration.ofSeconds(10));
        }
        awaitCalls(2);
        // two webhook calls in flight at once may reach the receiver in either order
        assertThat(alerts()).extracting(a -> a.getBoolean("resolved")).containsExactlyInAnyOrder(false, true);

        clock.advance(Duration.ofMinutes(2)); // 200 s of flapping + 2 min: the first page's window is over
        alerter.flush();
        awaitCalls(3);
        JsonObject summary = alerts().get(2);
        assertThat(summary.getString("kind")).isEqualTo("breaker_open");
        assertThat(summary.getInteger("count")).as("the nine re-openings held back").isEqualTo(9);
    }

    @Test
    void theFallbackRateAlertFiresOnceWhenTheShareCrossesTheThresholdAndClearsAtHalf() {
        Alerter alerter = alerter(settings().fallbackRate(0.5).fallbackWindow(10).fallbackMinCount(5).build());
        try (Simulator sim = TestSupport.simulator();
             Levee levee = levee(sim, """
                     routes:
                       default:
                         tiers:
                           - target: sim/primary
                           - target: sim/backup
                     resilience:
                       circuit_breaker: { consecutive_failures: 1000, window: 100, minimum_calls: 100 }
                       retry: { max_attempts: 1 }
                       degradation: { enabled: false }  # its own alert would be counted here too
                     """, alerter, AnomalyDetector.NONE)) {
            for (int i = 0; i < 10; i++) {
                levee.process("healthy " + i);
            }
            sim.faults().set("primary", "status=503");
            for (int i = 0; i < 5; i++) {
                assertThat(levee.process("failing over " + i).fallbackUsed()).isTrue();
            }
            awaitCalls(0); // 5 of the last 10: at the threshold, not above it

            levee.process("the sixth fallback");
            awaitCalls(1);
            JsonObject high = alerts().get(0);
            assertThat(high.getString("kind")).isEqualTo("fallback_rate");
            assertThat(high.getString("key")).isEqualTo("default");
            assertThat(high.getJsonObject("fields").getString("fallback_rate")).isEqualTo("0.60");

            for (int i = 0; i < 10; i++) {
                levee.process("still failing over " + i);
            }
            sim.faults().clear("primary");
            for (int i = 0; i < 7; i++) {
                levee.process("recovering " + i);
            }
            awaitCalls(1); // 3 of 10 is still above half of the threshold

            levee.process("recovered");
            awaitCalls(2);
        }
        JsonObject cleared = alerts().get(1);
        assertThat(cleared.getBoolean("resolved")).isTrue();
        assertThat(cleared.getString("severity")).isEqualTo("info");
        assertThat(cleared.getJsonObject("fields").getString("fallback_rate")).isEqualTo("0.20");
    }

    @Test
    void thePayloadIsSlackCompatibleJsonWithoutCredentialsOrPrompts() {
        String prompt = "My private plan: move the zebra-7731 budget before Friday";
        Alerter alerter = alerter(settings().build());
        // A detector that leaks a credential into its reason: the alerter must mask it.
        AnomalyDetector leaky = (request, response, ttft) -> new AnomalyScore(0.95,
                List.of("odd output near api_key=" + KEY));
        String answer;
        try (Simulator sim = TestSupport.simulator();
             Levee levee = Levee.builder().config(openAiConfig(sim)).clock(clock).random(new Random(42))
                     .anomalyDetector(leaky).listener(alerter).logRequests(false).build()) {
            answer = levee.process(prompt).text();
        }
        awaitCalls(1);
        String raw = bodies.get(0);
        JsonObject body = new JsonObject(raw);
        assertThat(body.getString("text")).startsWith("levee [WARNING] Anomalous answer from gpt-primary");
        JsonArray fields = body.getJsonArray("attachments").getJsonObject(0).getJsonArray("fields");
        assertThat(fields.stream().map(f -> ((JsonObject) f).getString("title")))
                .contains("model", "score", "reasons", "request_id", "count", "first_seen", "last_seen");
        assertThat(body.getJsonObject("levee_alert").getJsonObject("fields").getString("reasons"))
                .contains("api_key=[REDACTED]");
        assertThat(raw).doesNotContain(KEY).doesNotContain("zebra-7731").doesNotContain(prompt)
                .doesNotContain(answer.substring(0, 40));
    }

    @Test
    void aFailingWebhookIsLoggedAndNeverThrownIntoTheRequestPath() {
        String dead = "http://127.0.0.1:1" + HOOK_PATH;
        Alerter alerter = alerter(settings().webhookUrl(dead).build());

        assertThatCode(() -> {
            for (int i = 0; i < 50; i++) {
                alerter.onEvent(answered("r" + i, "model-" + i, 0.9, 0));
            }
        }).doesNotThrowAnyException();

        await().atMost(Duration.ofSeconds(10)).until(() -> logs.list.stream()
                .anyMatch(e -> e.getFormattedMessage().startsWith("Alert webhook 127.0.0.1:1 failed")));
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains("hooksecret"));
    }

    @Test
    void withoutAWebhookAlertsAreLoggedWithTheirRequestId() {
        Alerter alerter = alerter(AlertSettings.DEFAULTS);
        alerter.onEvent(answered("req-42", "gemma3:1b", 0.99, 0));
        alerter.onEvent(answered("req-43", "gemma3:1b", 0.99, 0));

        List<ILoggingEvent> sent = logs.list.stream().filter(e -> e.getFormattedMessage().startsWith("ALERT")).toList();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getLevel().toString()).isEqualTo("WARN");
        assertThat(sent.get(0).getFormattedMessage())
                .contains("ALERT anomaly [WARNING] Anomalous answer from gemma3:1b");
        assertThat(sent.get(0).getMDCPropertyMap()).containsEntry("request_id", "req-42");
        assertThat(logs.list).anyMatch(e -> e.getFormattedMessage().startsWith(
                "Further anomaly alerts for gemma3:1b are counted, not sent, until"));
        assertThat(bodies).isEmpty();
    }

    @Test
    void settingsAreValidatedWithoutRepeatingTheWebhookUrl() {
        assertThatThrownBy(() -> AlertSettings.builder().webhookUrl("ftp://hooks.example.com/secret").build())
                .hasMessageNotContaining("secret").hasMessageContaining("http(s)");
        assertThatThrownBy(() -> AlertSettings.builder().fallbackWindow(10).fallbackMinCount(20).build())
                .hasMessageContaining("fallback_min_count");
        assertThatThrownBy(() -> AlertSettings.builder().incidentWindow(Duration.ZERO).build())
                .hasMessageContaining("incident_window");
        assertThat(AlertSettings.DEFAULTS.webhookUrl()).isNull();
        assertThat(AlertSettings.DEFAULTS.incidentWindow()).isEqualTo(Duration.ofMinutes(5));
    }

    private Levee levee(Simulator sim, String rest, Alerter alerter, AnomalyDetector detector) {
        return Levee.builder().config(TestSupport.ollamaConfig(sim, rest)).clock(clock).random(new Random(42))
                .anomalyDetector(detector).listener(alerter).logRequests(false).build();
    }

    private static LeveeConfig openAiConfig(Simulator sim) {
        return TestSupport.config("""
                providers:
                  openai:
                    type: openai
                    base_url: %s/v1
                    api_key: %s
                routes:
                  default:
                    tiers:
                      - target: openai/gpt-primary
                """.formatted(sim.baseUrl(), KEY));
    }
}
