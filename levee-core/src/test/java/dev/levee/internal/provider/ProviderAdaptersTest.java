package dev.levee.internal.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.ChatChunk;
import dev.levee.FinishReason;
import dev.levee.Message;
import dev.levee.TestSupport;
import dev.levee.config.ProviderConfig;
import dev.levee.config.ProviderType;
import dev.levee.config.Secret;
import dev.levee.internal.provider.anthropic.AnthropicAdapter;
import dev.levee.internal.provider.ollama.OllamaAdapter;
import dev.levee.internal.provider.openai.OpenAiAdapter;
import dev.levee.simulator.ReceivedRequest;
import dev.levee.simulator.ResponseGenerator;
import dev.levee.simulator.Simulator;
import dev.levee.spi.FailureKind;
import dev.levee.spi.ProviderAdapter;
import dev.levee.spi.ProviderCall;
import dev.levee.spi.ProviderException;
import dev.levee.spi.ProviderReply;
import dev.levee.spi.ProviderStream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each adapter against the simulator over real HTTP: text, usage, streams, and every error mapping. */
class ProviderAdaptersTest {
    enum Wire { OLLAMA, OPENAI, ANTHROPIC }

    private static final String PROMPT = "Explain exponential backoff";
    private static Vertx vertx;
    private static Simulator sim;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        sim = TestSupport.simulator();
    }

    @AfterAll
    static void stop() {
        sim.close();
        vertx.close();
    }

    @BeforeEach
    void reset() {
        sim.faults().clearAll();
        sim.journal().clear();
    }

    private static ProviderAdapter adapter(Wire wire) {
        ProviderType type = ProviderType.valueOf(wire.name());
        ProviderConfig config = new ProviderConfig("p", type, null, Secret.ofNullable("sk-test-secret-key-1234567890"),
                Map.of(), 8, Duration.ofSeconds(2), 0, null);
        URI base = URI.create(sim.baseUrl() + (wire == Wire.OPENAI ? "/v1" : ""));
        return switch (wire) {
            case OLLAMA -> new OllamaAdapter(vertx, config, base);
            case OPENAI -> new OpenAiAdapter(vertx, config, base);
            case ANTHROPIC -> new AnthropicAdapter(vertx, config, base);
        };
    }

    private static ProviderCall call(Integer maxTokens, Duration timeout, Map<String, String> headers) {
        return new ProviderCall("m1", List.of(Message.system("Be brief."), Message.user(PROMPT)), maxTokens, 0.5, null,
                List.of(), timeout, Duration.ofMillis(500), "req-1", headers, null);
    }

    private static ProviderCall call() {
        return call(1000, Duration.ofSeconds(5), Map.of());
    }

    private static ProviderCall faulty(String fault) {
        return call(1000, Duration.ofSeconds(5), Map.of("X-Simulator-Fault", fault));
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static ProviderException failure(Future<?> f) {
        try {
            await(f);
        } catch (Exception e) {
            Throwable cause = e.getCause();
            assertThat(cause).isInstanceOf(ProviderException.class);
            return (ProviderException) cause;
        }
        throw new AssertionError("expected a failure");
    }

    /** Reads a whole stream: its text, last usage and finish, or its failure. */
    record StreamResult(String text, ChatChunk last, Throwable error, int chunks) {
    }

    private static StreamResult drain(Future<ProviderStream> opened) throws Exception {
        Promise<StreamResult> done = Promise.promise();
        StringBuilder text = new StringBuilder();
        ChatChunk[] last = new ChatChunk[1];
        int[] count = {0};
        ProviderStream stream = await(opened);
        stream.handler(c -> {
            text.append(c.text());
            count[0]++;
            if (c.finishReason() != null || c.usage() != null) {
                ChatChunk prev = last[0];
                last[0] = new ChatChunk("", c.model(), c.finishReason() != null ? c.finishReason()
                        : prev == null ? null : prev.finishReason(), c.usage() != null ? c.usage()
                        : prev == null ? null : prev.usage());
            }
        }).endHandler(v -> done.tryComplete(new StreamResult(text.toString(), last[0], null, count[0])))
                .exceptionHandler(e -> done.tryComplete(new StreamResult(text.toString(), last[0], e, count[0])));
        stream.resume();
        return await(done.future());
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void completionReturnsTextAndReportedUsage(Wire wire) throws Exception {
        ProviderReply reply = await(adapter(wire).complete(call()));

        assertThat(reply.text()).isEqualTo(ResponseGenerator.answerFor(PROMPT));
        assertThat(reply.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(reply.usage().promptTokens()).isPositive();
        assertThat(reply.usage().completionTokens()).isPositive();
        assertThat(reply.usage().totalTokens()).isEqualTo(reply.usage().promptTokens() + reply.usage().completionTokens());
        assertThat(reply.usage().estimated()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void maxTokensIsSentAndALengthFinishIsReported(Wire wire) throws Exception {
        ProviderReply reply = await(adapter(wire).complete(call(10, Duration.ofSeconds(5), Map.of())));
        assertThat(reply.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(reply.usage().completionTokens()).isLessThanOrEqualTo(10);
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void credentialsGoInTheProvidersOwnHeaderAndTheSystemPromptIsMapped(Wire wire) throws Exception {
        await(adapter(wire).complete(call()));
        ReceivedRequest received = sim.journal().last().orElseThrow();
        switch (wire) {
            case ANTHROPIC -> {
                assertThat(received.headers()).containsEntry("x-api-key", "***").containsKey("anthropic-version");
                assertThat(received.body().path("system").asText()).isEqualTo("Be brief.");
                assertThat(received.body().path("messages")).hasSize(1);
            }
            case OPENAI -> {
                assertThat(received.headers()).containsEntry("authorization", "***");
                assertThat(received.body().path("messages")).hasSize(2);
            }
            case OLLAMA -> {
                assertThat(received.body().path("stream").asBoolean(true)).isFalse();
                assertThat(received.body().path("options").path("num_predict").asInt()).isEqualTo(1000);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void streamDeliversTheSameTextAndUsage(Wire wire) throws Exception {
        StreamResult r = drain(adapter(wire).stream(call()));

        assertThat(r.error()).isNull();
        assertThat(r.text()).isEqualTo(ResponseGenerator.answerFor(PROMPT));
        assertThat(r.chunks()).isGreaterThan(5);
        assertThat(r.last().finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.last().usage().completionTokens()).isPositive();
        assertThat(r.last().model()).isEqualTo("m1");
        if (wire == Wire.OPENAI) {
            assertThat(sim.journal().last().orElseThrow().body().path("stream_options").path("include_usage")
                    .asBoolean()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void serverErrorIsRetryable(Wire wire) {
        ProviderException e = failure(adapter(wire).complete(faulty("status=500")));
        assertThat(e.kind()).isEqualTo(FailureKind.SERVER);
        assertThat(e.status()).isEqualTo(500);
        assertThat(e.kind().retryable()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void rateLimitCarriesRetryAfter(Wire wire) {
        ProviderException e = failure(adapter(wire).complete(faulty("retry_after=3")));
        assertThat(e.kind()).isEqualTo(FailureKind.RATE_LIMITED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void callerErrorsAreClassified(Wire wire) {
        ProviderAdapter adapter = adapter(wire);
        assertThat(failure(adapter.complete(faulty("context_length"))).kind()).isEqualTo(FailureKind.CONTEXT_LENGTH);
        assertThat(failure(adapter.complete(faulty("content_filter"))).kind()).isEqualTo(FailureKind.CONTENT_FILTER);
        assertThat(failure(adapter.complete(faulty("not_found"))).kind()).isEqualTo(FailureKind.MODEL_NOT_FOUND);
        assertThat(failure(adapter.complete(faulty("unauthorized"))).kind()).isEqualTo(FailureKind.AUTH);
        assertThat(failure(adapter.complete(faulty("status=400"))).kind()).isEqualTo(FailureKind.BAD_REQUEST);
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void connectionResetIsAConnectFailure(Wire wire) {
        ProviderException e = failure(adapter(wire).complete(faulty("reset")));
        assertThat(e.kind()).isEqualTo(FailureKind.CONNECT);
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void aHangIsCutAtTheAttemptBudgetAndTheSimulatorSeesTheCancel(Wire wire) throws Exception {
        long start = System.nanoTime();
        ProviderException e = failure(adapter(wire).complete(call(100, Duration.ofMillis(300),
                Map.of("X-Simulator-Fault", "hang"))));
        assertThat(e.kind()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(sim.journal().await(r -> r.outcome() == ReceivedRequest.Outcome.CANCELLED,
                Duration.ofSeconds(5))).isNotNull();
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void anErrorEventInsideA200StreamFailsTheStream(Wire wire) throws Exception {
        StreamResult r = drain(adapter(wire).stream(faulty("error_after=3")));
        assertThat(r.error()).isInstanceOf(ProviderException.class);
        assertThat(((ProviderException) r.error()).kind()).isEqualTo(FailureKind.STREAM_ERROR);
        assertThat(r.text()).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void aStreamCutMidwayIsAFailureNotAnEnd(Wire wire) throws Exception {
        StreamResult r = drain(adapter(wire).stream(faulty("cut_after=4")));
        assertThat(r.error()).isInstanceOf(ProviderException.class);
        assertThat(((ProviderException) r.error()).kind()).isEqualTo(FailureKind.STREAM_CUT);
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void aStalledStreamFailsAfterTheIdleLimit(Wire wire) throws Exception {
        long start = System.nanoTime();
        StreamResult r = drain(adapter(wire).stream(faulty("stall_after=3")));
        assertThat(((ProviderException) r.error()).kind()).isEqualTo(FailureKind.STALL);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void noFirstTokenInTimeIsATimeout(Wire wire) throws Exception {
        Future<ProviderStream> opened = adapter(wire).stream(call(100, Duration.ofMillis(300),
                Map.of("X-Simulator-Fault", "ttft=3000")));
        Throwable error;
        try {
            error = drain(opened).error();
        } catch (java.util.concurrent.ExecutionException e) {
            error = e.getCause(); // the budget ran out before the response headers
        }
        assertThat(((ProviderException) error).kind()).isEqualTo(FailureKind.TIMEOUT);
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void aMalformedChunkFailsTheStreamAfterWhatCameBeforeIt(Wire wire) throws Exception {
        StreamResult r = drain(adapter(wire).stream(faulty("malformed_at=2")));
        assertThat(r.error()).isInstanceOfSatisfying(ProviderException.class,
                e -> assertThat(e.kind()).isEqualTo(FailureKind.MALFORMED));
        assertThat(ResponseGenerator.answerFor(PROMPT)).startsWith(r.text());
        assertThat(r.text()).isNotEmpty().isNotEqualTo(ResponseGenerator.answerFor(PROMPT));
    }

    @ParameterizedTest
    @EnumSource(value = Wire.class, names = "OPENAI")
    void aFinishedStreamWithoutDoneCompletesPromptly(Wire wire) throws Exception {
        long start = System.nanoTime();
        StreamResult r = drain(adapter(wire).stream(faulty("no_done")));
        assertThat(r.error()).isNull();
        assertThat(r.text()).isEqualTo(ResponseGenerator.answerFor(PROMPT));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @ParameterizedTest
    @EnumSource(value = Wire.class, names = "ANTHROPIC")
    void anthropicOverloadedIsARetryableServerError(Wire wire) {
        ProviderException e = failure(adapter(wire).complete(faulty("status=529")));
        assertThat(e.kind()).isEqualTo(FailureKind.SERVER);
        assertThat(e.status()).isEqualTo(529);
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void cancellingAStreamResetsTheUpstream(Wire wire) throws Exception {
        ProviderStream stream = await(adapter(wire).stream(faulty("token_ms=50")));
        Promise<Void> firstChunk = Promise.promise();
        stream.handler(c -> firstChunk.tryComplete());
        stream.resume();
        await(firstChunk.future());

        stream.cancel();

        assertThat(sim.journal().await(r -> r.outcome() == ReceivedRequest.Outcome.CANCELLED,
                Duration.ofSeconds(5))).isNotNull();
    }
}
