package dev.levee.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.CallOptions;
import dev.levee.ChatResponse;
import dev.levee.FinishReason;
import dev.levee.Usage;
import dev.levee.bench.InstantUpstream;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gateway's JSON work around one non-streamed request, without the network: read the client's
 * body the way {@code ChatCompletionsHandler} does (strict Jackson tree, then the field-by-field
 * {@link ChatCompletionRequest} checks into a {@code ChatRequest}), and write the answer
 * ({@link ChatCompletionResponse#completion} through the gateway's writer).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestResponseCodec {
    private final Buffer request = InstantUpstream.REQUEST;
    private final ChatResponse response = new ChatResponse(
            "A circuit breaker stops calls to a failing service for a while, so it can recover and callers fail fast.",
            "gpt-4o-mini", "mock", "default", new Usage(14, 20, 34, false), FinishReason.STOP, 0.4, 0,
            "0f8e2a9c4b7d4e21", Instant.parse("2026-11-22T12:00:00Z"), List.of());

    @Benchmark
    public ChatCompletionRequest parseRequest() throws Exception {
        JsonNode tree = Json.parse(request);
        return ChatCompletionRequest.from(tree, CallOptions.builder().requestId("0f8e2a9c4b7d4e21"));
    }

    @Benchmark
    public Buffer writeResponse() {
        return ChatCompletionResponse.completion(response, 1_700_000_000L);
    }
}
