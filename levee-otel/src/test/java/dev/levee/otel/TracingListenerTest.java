package dev.levee.otel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.AnomalyScore;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.FinishReason;
import dev.levee.LeveeException;
import dev.levee.Usage;
import dev.levee.config.ConfigLoader;
import dev.levee.config.LeveeConfig;
import dev.levee.spi.LeveeEvent;
import dev.levee.spi.FailureKind;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The listener fed hand-made events, its spans caught in memory: the paths real requests rarely take. */
class TracingListenerTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final LeveeConfig CONFIG = ConfigLoader.parse("""
            providers:
              local:
                type: ollama
                base_url: http://127.0.0.1:9
            routes:
              default:
                tiers:
                  - target: local/big
                  - target: local/small
            monitoring:
              telemetry: { enabled: false }
            """, "test.yaml", n -> null);

    private final List<SpanData> spans = new CopyOnWriteArrayList<>();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new SpanExporter() {
                @Override
                public CompletableResultCode export(Collection<SpanData> batch) {
                    spans.addAll(batch);
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode flush() {
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode shutdown() {
                    return CompletableResultCode.ofSuccess();
                }
            })).build();
    private final TracingListener listener = new TracingListener(provider.get("test"), CONFIG, Duration.ofMinutes(10),
            null);

    @AfterEach
    void shutdown() {
        provider.shutdown().join(5, TimeUnit.SECONDS);
    }

    private static Instant at(long millis) {
        return T0.plusMillis(millis);
    }

    private static ChatRequest request() {
        return ChatRequest.builder().user("hello").build();
    }

    private static LeveeEvent.RequestStarted started(String id, Instant at) {
        return new LeveeEvent.RequestStarted(id, at, "default", request(), false, null, 5, null, null);
    }

    private SpanData span(String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    private static <T> T attr(SpanData s, AttributeKey<T> key) {
        return s.getAttributes().get(key);
    }

    private static <T> T attr(EventData e, AttributeKey<T> key) {
        return e.getAttributes().get(key);
    }

    @Test
    void retriesSkippedTiersAndFallbacksAreEventsOnTheRequestSpanAtTheirTimes() {
        listener.onEvent(started("r1", at(0)));
        listener.onEvent(new LeveeEvent.AttemptStarted("r1", at(1), 0, "local/big", 1));
        listener.onEvent(new LeveeEvent.AttemptFailed("r1", at(11), 0, "local/big", 1, FailureKind.TIMEOUT, 0,
                "timed out", 10, 100));
        listener.onEvent(new LeveeEvent.AttemptStarted("r1", at(111), 0, "local/big", 2));
        listener.onEvent(new LeveeEvent.AttemptFailed("r1", at(121), 0, "local/big", 2, FailureKind.SERVER, 500,
                "HTTP 500", 10, -1));
        listener.onEvent(new LeveeEvent.FallbackTriggered("r1", at(121), 0, 1, "local/small", "server"));
        listener.onEvent(new LeveeEvent.TierSkipped("r1", at(122), 1, "local/small",
                LeveeEvent.SkipReason.BREAKER_OPEN));
        listener.onEvent(new LeveeEvent.FallbackTriggered("r1", at(122), 1, 2, "rule_based_fallback", "breaker_open"));
        listener.onEvent(new LeveeEvent.RuleBasedReplyUsed("r1", at(123), "help"));
        ChatResponse reply = new ChatResponse("I can't answer right now.", ChatResponse.RULE_BASED, null, "default",
                Usage.NONE, FinishReason.STOP, 124, 2, "r1", at(124), List.of());
        listener.onEvent(new LeveeEvent.RequestCompleted("r1", at(124), request(), reply, null, false,
                AnomalyScore.NONE, Map.of("local/big", "CLOSED", "local/small", "OPEN"), 0));

        SpanData req = span("chat default");
        assertThat(req.getStartEpochNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(T0.toEpochMilli()));
        assertThat(req.getEndEpochNanos() - req.getStartEpochNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(124));
        assertThat(req.getEvents()).extracting(EventData::getName)
                .containsExactly("retry", "fallback", "tier_skipped", "fallback", "rule_based_reply");
        EventData retry = req.getEvents().get(0);
        assertThat(retry.getEpochNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(at(11).toEpochMilli()));
        assertThat(attr(retry, TraceAttributes.RETRY_DELAY_MS)).isEqualTo(100);
        assertThat(attr(retry, TraceAttributes.ERROR_TYPE)).isEqualTo("timeout");
        EventData skipped = req.getEvents().get(2);
        assertThat(attr(skipped, TraceAttributes.SKIP_REASON)).isEqualTo("breaker_open");
        assertThat(attr(skipped, TraceAttributes.BREAKER_STATE)).isEqualTo("OPEN");
        assertThat(attr(req, TraceAttributes.FALLBACK_LEVEL)).isEqualTo(2);
        assertThat(attr(req, TraceAttributes.RESPONSE_MODEL)).isEqualTo(ChatResponse.RULE_BASED);
        assertThat(attr(req, TraceAttributes.PROVIDER_NAME)).isNull();
        assertThat(attr(req, TraceAttributes.BREAKER_STATES)).containsExactlyInAnyOrder(
                "local/big=CLOSED", "local/small=OPEN");

        List<SpanData> attempts = spans.stream().filter(s -> s.getName().equals("chat big"))
                .collect(Collectors.toList());
        assertThat(attempts).extracting(s -> attr(s, TraceAttributes.ATTEMPT)).containsExactly(1L, 2L);
        assertThat(attempts).allSatisfy(s -> {
            assertThat(s.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(s.getParentSpanId()).isEqualTo(req.getSpanId());
            assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(attr(s, TraceAttributes.PROVIDER_NAME)).isEqualTo("ollama");
        });
        assertThat(attempts.get(1).getEndEpochNanos() - attempts.get(1).getStartEpochNanos())
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(10));
        assertThat(listener.inFlight()).isZero();
    }

    @Test
    void aRequestWhoseTerminalEventNeverComesIsEndedAndForgottenAfterTheMaxAge() {
        listener.onEvent(started("lost", at(0)));
        listener.onEvent(new LeveeEvent.AttemptStarted("lost", at(1), 0, "local/big", 1));
        assertThat(spans).isEmpty();

        listener.onEvent(started("later", at(Duration.ofMinutes(11).toMillis())));

        assertThat(listener.inFlight()).isEqualTo(1);
        assertThat(spans).extracting(SpanData::getName).containsExactlyInAnyOrder("chat big", "chat default");
        assertThat(spans).allSatisfy(s -> {
            assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(attr(s, TraceAttributes.ERROR_TYPE)).isEqualTo("incomplete");
        });
    }

    @Test
    void anAttemptWithNoOutcomeOfItsOwnEndsWithTheFailedRequest() {
        listener.onEvent(started("gone", at(0)));
        listener.onEvent(new LeveeEvent.AttemptStarted("gone", at(1), 0, "local/big", 1));
        listener.onEvent(new LeveeEvent.RequestFailed("gone", at(50), "default", request(),
                new LeveeException(LeveeException.Kind.CANCELLED, "cancelled by the caller", "gone"), 50, false,
                List.of(), Map.of(), null, null));

        SpanData attempt = span("chat big");
        assertThat(attempt.getEndEpochNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(at(50).toEpochMilli()));
        assertThat(attr(attempt, TraceAttributes.ERROR_TYPE)).isEqualTo("cancelled");
        SpanData req = span("chat default");
        assertThat(req.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(req.getStatus().getDescription()).isEqualTo("cancelled by the caller");
        assertThat(listener.inFlight()).isZero();
    }

    @Test
    void aRequestRefusedBeforeItStartedStillGetsAnErrorSpan() {
        listener.onEvent(new LeveeEvent.RequestFailed("bad", at(0), "nope", request(),
                new LeveeException(LeveeException.Kind.UNKNOWN_ROUTE, "no route named 'nope'", "bad"), 0, false,
                List.of(), Map.of(), null, null));

        SpanData req = span("chat nope");
        assertThat(attr(req, TraceAttributes.ERROR_TYPE)).isEqualTo("unknown_route");
        assertThat(attr(req, TraceAttributes.REQUEST_ID)).isEqualTo("bad");
        assertThat(req.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }

    @Test
    void anInvalidTraceparentStartsANewTrace() {
        ChatRequest withBadParent = request().withOptions(dev.levee.CallOptions.builder()
                .traceParent("00-00000000000000000000000000000000-00f067aa0ba902b7-01").build());
        listener.onEvent(new LeveeEvent.RequestStarted("x", at(0), "default", withBadParent, false, null, 5, null,
                null));
        listener.onEvent(new LeveeEvent.RequestFailed("x", at(1), "default", withBadParent,
                new LeveeException(LeveeException.Kind.UNAVAILABLE, "down", "x"), 1, false, List.of(), Map.of(),
                null, null));

        SpanData req = span("chat default");
        assertThat(req.getParentSpanContext().isValid()).isFalse();
        assertThat(req.getKind()).isEqualTo(SpanKind.INTERNAL);
    }

    @Test
    void tracingIsOffWithoutAnEndpointAndABareCollectorAddressGetsTheTracesPath() {
        assertThat(TracingListener.create(CONFIG)).isNull();
        assertThat(OtlpExport.tracesUrl("http://collector:4318")).isEqualTo("http://collector:4318/v1/traces");
        assertThat(OtlpExport.tracesUrl("http://collector:4318/")).isEqualTo("http://collector:4318/v1/traces");
        assertThat(OtlpExport.tracesUrl("https://otel.example/custom/traces"))
                .isEqualTo("https://otel.example/custom/traces");
    }
}
