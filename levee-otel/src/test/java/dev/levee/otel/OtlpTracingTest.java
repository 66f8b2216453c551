package dev.levee.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.levee.CallOptions;
import dev.levee.ChatChunk;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.Levee;
import dev.levee.LeveeException;
import dev.levee.StreamHandler;
import dev.levee.config.ConfigLoader;
import dev.levee.config.LeveeConfig;
import dev.levee.simulator.Latency;
import dev.levee.simulator.Simulator;
import dev.levee.config.ProviderConfig;
import dev.levee.spi.EmbeddedProviders;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import dev.levee.simulator.SimulatorConfig;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real requests through levee against a loopback simulator, exported by {@link TracingListener#create}
 * over OTLP/HTTP (JDK sender) to a loopback collector, and read back as protobuf.
 */
class OtlpTracingTest {
    private static final String API_KEY = "sk-test-0123456789-never-export";
    private static final String PROMPT = "What does a levee hold back?";

    private static Simulator sim;
    private static OtlpReceiver collector;
    private static TracingListener tracing;
    private static Levee levee;

    @BeforeAll
    static void start() throws Exception {
        sim = Simulator.start(SimulatorConfig.builder().host("127.0.0.1").port(0)
                .defaultLatency(Latency.ofMillis(5, 1)).build());
        collector = new OtlpReceiver();
        LeveeConfig config = config(false);
        tracing = TracingListener.create(config);
        levee = Levee.builder().config(config).listener(tracing).logRequests(false)
                .embeddedProviders(OtlpTracingTest::embedded).build();
    }

    /** The provider of type simulator, speaking Anthropic's wire format on its own loopback port. */
    private static Future<EmbeddedProviders.Running> embedded(Vertx vertx, ProviderConfig provider) {
        return Simulator.start(vertx, SimulatorConfig.builder().host("127.0.0.1").port(0)
                .defaultLatency(Latency.ofMillis(5, 1)).build()).map(simulator -> new EmbeddedProviders.Running() {
                    @Override
                    public URI baseUrl() {
                        return URI.create(simulator.baseUrl());
                    }

                    @Override
                    public Future<Void> close() {
                        return simulator.closeAsync();
                    }
                });
    }

    @AfterAll
    static void stop() {
        levee.close();
        tracing.close();
        sim.close();
        collector.close();
    }

    @BeforeEach
    void clearFaults() {
        sim.faults().clearAll();
    }

    /**
     * An OpenAI-wire provider at the loopback simulator (primary) and an in-process simulator speaking
     * the Anthropic wire (fallback, with caps).
     */
    private static LeveeConfig config(boolean captureContent) {
        return ConfigLoader.parse("""
                providers:
                  oai:
                    type: openai
                    base_url: %s/v1
                    api_key: %s
                  claude:
                    type: simulator
                    wire: anthropic
                    api_key: %s
                    first_token: 5ms
                    per_token: 1ms
                routes:
                  default:
                    tiers:
                      - target: oai/gpt-4o-mini
                      - target: claude/claude-haiku
                        max_tokens: 64
                        temperature: 0.2
                  strict:
                    tiers:
                      - target: oai/gpt-4o-mini
                    rule_based_fallback: false
                resilience:
                  circuit_breaker: { consecutive_failures: 1000, window: 100, minimum_calls: 100 }
                  retry: { max_attempts: 1 }
                monitoring:
                  telemetry: { enabled: false }
                  tracing:
                    otlp_endpoint: %s
                    service_name: levee-test
                    capture_content: %s
                """.formatted(sim.baseUrl(), API_KEY, API_KEY, collector.baseUrl(), captureContent), "test.yaml", n -> null);
    }

    private static ChatRequest request(String requestId, String route, CallOptions.Builder options) {
        return ChatRequest.builder().route(route).user(PROMPT).maxTokens(200).temperature(0.7).topP(0.9)
                .options(options.requestId(requestId).build()).build();
    }

    /** The request span with this request id, once exported, and its attempt spans in start order. */
    private static Trace exported(TracingListener listener, String requestId) {
        ExportedSpan root = await().atMost(Duration.ofSeconds(5)).until(() -> {
            listener.flush(Duration.ofSeconds(1));
            return collector.spans().stream().filter(s -> requestId.equals(s.string("levee.request_id")))
                    .findFirst().orElse(null);
        }, s -> s != null);
        List<ExportedSpan> attempts = collector.spans().stream()
                .filter(s -> s.parentSpanId().equals(root.spanId()) && s.traceId().equals(root.traceId()))
                .sorted((a, b) -> Long.compare(a.span().getStartTimeUnixNano(), b.span().getStartTimeUnixNano()))
                .collect(Collectors.toList());
        return new Trace(root, attempts);
    }

    private record Trace(ExportedSpan request, List<ExportedSpan> attempts) {
    }

    @Test
    void anAnsweredRequestIsARequestSpanWithOneClientSpanPerAttempt() {
        ChatResponse r = levee.complete(request("ok-1", null, CallOptions.builder()));

        Trace t = exported(tracing, "ok-1");
        ExportedSpan req = t.request();
        assertThat(req.name()).isEqualTo("chat default");
        assertThat(req.kind()).isEqualTo(SpanKind.SPAN_KIND_INTERNAL);
        assertThat(req.parentSpanId()).isEmpty();
        assertThat(req.resourceAttribute("service.name")).isEqualTo("levee-test");
        assertThat(req.scope().getName()).isEqualTo(TracingListener.SCOPE);
        assertThat(req.string("gen_ai.operation.name")).isEqualTo("chat");
        assertThat(req.string("gen_ai.request.model")).isEqualTo("default");
        assertThat(req.string("levee.route")).isEqualTo("default");
        assertThat(req.string("gen_ai.provider.name")).isEqualTo("openai");
        assertThat(req.string("gen_ai.response.model")).isEqualTo("gpt-4o-mini");
        assertThat(req.string("gen_ai.response.id")).isEqualTo("ok-1");
        assertThat(req.number("gen_ai.request.max_tokens")).isEqualTo(200);
        assertThat(req.decimal("gen_ai.request.temperature")).isEqualTo(0.7);
        assertThat(req.decimal("gen_ai.request.top_p")).isEqualTo(0.9);
        assertThat(req.number("gen_ai.usage.input_tokens")).isEqualTo(r.usage().promptTokens()).isPositive();
        assertThat(req.number("gen_ai.usage.output_tokens")).isEqualTo(r.usage().completionTokens()).isPositive();
        assertThat(req.strings("gen_ai.response.finish_reasons")).containsExactly(r.finishReason().wireName());
        assertThat(req.number("levee.fallback_level")).isZero();
        assertThat(req.decimal("levee.anomaly_score")).isNotNull();
        assertThat(req.decimal("levee.cost_usd")).isNotNull();
        assertThat(req.strings("levee.breaker.states")).containsExactly("oai/gpt-4o-mini=CLOSED");
        assertThat(req.isError()).isFalse();

        assertThat(t.attempts()).hasSize(1);
        ExportedSpan attempt = t.attempts().get(0);
        assertThat(attempt.name()).isEqualTo("chat gpt-4o-mini");
        assertThat(attempt.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
        assertThat(attempt.string("gen_ai.provider.name")).isEqualTo("openai");
        assertThat(attempt.string("gen_ai.request.model")).isEqualTo("gpt-4o-mini");
        assertThat(attempt.string("gen_ai.response.model")).isEqualTo("gpt-4o-mini");
        assertThat(attempt.number("gen_ai.usage.output_tokens")).isEqualTo(r.usage().completionTokens());
        assertThat(attempt.number("levee.tier")).isZero();
        assertThat(attempt.number("levee.attempt")).isEqualTo(1);
        assertThat(attempt.span().getStartTimeUnixNano()).isGreaterThanOrEqualTo(req.span().getStartTimeUnixNano());
        assertThat(attempt.span().getEndTimeUnixNano()).isLessThanOrEqualTo(req.span().getEndTimeUnixNano());

        assertThat(collector.contentTypes()).allMatch(c -> c.startsWith("application/x-protobuf"));
        for (ExportedSpan s : List.of(req, attempt)) {
            assertThat(s.attribute("gen_ai.input.messages")).isEmpty();
            assertThat(s.attribute("gen_ai.output.messages")).isEmpty();
            assertThat(s.allValues()).doesNotContain(PROMPT).doesNotContain(r.text()).doesNotContain(API_KEY);
        }
    }

    @Test
    void aFallbackShowsTheFailedAttemptAsAnErrorAndTheAnsweringTier() {
        sim.faults().set("gpt-4o-mini", "status=503");

        ChatResponse r = levee.complete(request("fallback-1", "default", CallOptions.builder()));

        assertThat(r.fallbackLevel()).as("%s", r.attempts()).isEqualTo(1);
        Trace t = exported(tracing, "fallback-1");
        ExportedSpan req = t.request();
        assertThat(req.number("levee.fallback_level")).isEqualTo(1);
        assertThat(req.string("gen_ai.provider.name")).isEqualTo("anthropic");
        assertThat(req.string("gen_ai.response.model")).isEqualTo("claude-haiku");
        assertThat(req.number("gen_ai.usage.output_tokens")).isEqualTo(r.usage().completionTokens());
        assertThat(req.isError()).isFalse();
        assertThat(req.eventNames()).contains("fallback");

        assertThat(t.attempts()).extracting(ExportedSpan::name).containsExactly("chat gpt-4o-mini", "chat claude-haiku");
        ExportedSpan failed = t.attempts().get(0);
        assertThat(failed.isError()).isTrue();
        assertThat(failed.string("error.type")).isEqualTo("server");
        assertThat(failed.number("http.response.status_code")).isEqualTo(503);
        ExportedSpan answered = t.attempts().get(1);
        assertThat(answered.isError()).isFalse();
        assertThat(answered.string("gen_ai.provider.name")).isEqualTo("anthropic"); // the simulator's wire
        assertThat(answered.number("levee.tier")).isEqualTo(1);
        assertThat(answered.number("gen_ai.request.max_tokens")).isEqualTo(64); // the tier's cap
        assertThat(answered.decimal("gen_ai.request.temperature")).isEqualTo(0.2);
        assertThat(answered.number("gen_ai.usage.input_tokens")).isEqualTo(r.usage().promptTokens());
    }

    @Test
    void aRequestNoTierCouldAnswerIsAnErrorSpan() {
        sim.faults().set("gpt-4o-mini", "status=503");

        assertThatThrownBy(() -> levee.complete(request("failed-1", "strict", CallOptions.builder())))
                .isInstanceOf(LeveeException.class);

        Trace t = exported(tracing, "failed-1");
        assertThat(t.request().name()).isEqualTo("chat strict");
        assertThat(t.request().isError()).isTrue();
        assertThat(t.request().string("error.type")).isEqualTo("unavailable");
        assertThat(t.request().strings("levee.breaker.states")).containsExactly("oai/gpt-4o-mini=CLOSED");
        assertThat(t.attempts()).singleElement().satisfies(a -> {
            assertThat(a.isError()).isTrue();
            assertThat(a.string("error.type")).isEqualTo("server");
        });
    }

    @Test
    void aStreamedAnswerIsTracedWithItsTimeToFirstToken() throws Exception {
        StringBuilder text = new StringBuilder();
        ChatResponse r = levee.stream(request("stream-1", null, CallOptions.builder()), new StreamHandler() {
            @Override
            public void onChunk(ChatChunk chunk) {
                text.append(chunk.text());
            }

            @Override
            public void onComplete(ChatResponse response) {
            }

            @Override
            public void onError(LeveeException error) {
            }
        }).completion().get(10, TimeUnit.SECONDS);

        Trace t = exported(tracing, "stream-1");
        assertThat(t.request().attribute("levee.stream").map(v -> v.getBoolValue())).contains(true);
        assertThat(t.request().decimal("levee.ttft_ms")).isPositive();
        assertThat(t.request().number("gen_ai.usage.output_tokens")).isEqualTo(r.usage().completionTokens());
        assertThat(t.attempts()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo("chat gpt-4o-mini");
            assertThat(a.isError()).isFalse();
        });
        assertThat(t.request().allValues()).doesNotContain(text.toString());
    }

    @Test
    void anIncomingTraceparentMakesTheRequestSpanAChildOfTheCallersSpan() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String parentId = "00f067aa0ba902b7";

        levee.complete(request("traced-1", null, CallOptions.builder()
                .traceParent("00-" + traceId + "-" + parentId + "-01")));

        Trace t = exported(tracing, "traced-1");
        assertThat(t.request().traceId()).isEqualTo(traceId);
        assertThat(t.request().parentSpanId()).isEqualTo(parentId);
        assertThat(t.request().kind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
        assertThat(t.attempts()).singleElement().satisfies(a -> assertThat(a.traceId()).isEqualTo(traceId));
    }

    @Test
    void promptsAndAnswersAreOnTheSpanOnlyWhenContentCaptureIsOn() throws Exception {
        LeveeConfig config = config(true);
        TracingListener capturing = TracingListener.create(config);
        ChatResponse r;
        try (Levee withContent = Levee.builder().config(config).listener(capturing).logRequests(false)
                .embeddedProviders(OtlpTracingTest::embedded).build()) {
            r = withContent.complete(request("content-1", null, CallOptions.builder()));
        }
        try {
            ExportedSpan req = exported(capturing, "content-1").request();
            assertThat(req.string("gen_ai.input.messages")).isEqualTo(
                    "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"" + PROMPT + "\"}]}]");
            JsonNode output = new ObjectMapper().readTree(req.string("gen_ai.output.messages"));
            assertThat(output).hasSize(1);
            assertThat(output.get(0).path("role").asText()).isEqualTo("assistant");
            assertThat(output.get(0).path("parts").get(0).path("content").asText()).isEqualTo(r.text());
            assertThat(output.get(0).path("finish_reason").asText()).isEqualTo(r.finishReason().wireName());
            assertThat(req.allValues()).doesNotContain(API_KEY);
        } finally {
            capturing.close();
        }
    }
}
