package dev.levee.http;

import dev.levee.ChatChunk;
import dev.levee.bench.InstantUpstream;
import dev.levee.internal.provider.StreamDecoder;
import dev.levee.internal.provider.StreamSink;
import dev.levee.internal.provider.openai.OpenAiDecoders;
import dev.levee.spi.ProviderException;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-chunk cost of relaying a stream: parse one upstream SSE {@code data:} line of an OpenAI
 * {@code chat.completion.chunk} into a levee {@link ChatChunk} (the adapter's decoder), and write
 * it back out as the gateway's own chunk event ({@link ChatCompletionResponse#chunk} through the
 * gateway's JSON writer, framed as {@code SseRelay} frames it). Lives in the HTTP module's package to
 * reach its package-private classes. Cycles through the ~20 content chunks of bench/mock/stream.sse.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SseChunkRelay {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private byte[][] lines;
    private ChatChunk[] chunks;
    private int next;
    private StreamDecoder decoder;
    private final LastChunk sink = new LastChunk();
    private final String id = ChatCompletionResponse.completionId("0f8e2a9c4b7d4e21");
    private final long created = 1_700_000_000L;

    @Setup
    public void setUp() {
        List<String> content = new ArrayList<>();
        for (String event : InstantUpstream.STREAM.toString(StandardCharsets.UTF_8).split("\n\n")) {
            if (event.contains("\"content\":\"") && !event.contains("\"role\"")) {
                content.add(event.trim());
            }
        }
        lines = content.stream().map(l -> l.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        decoder = OpenAiDecoders.newDecoder("mock", "gpt-4o-mini");
        chunks = new ChatChunk[lines.length];
        for (int i = 0; i < lines.length; i++) {
            chunks[i] = decode(lines[i]);
        }
        if (lines.length < 10 || chunks[0] == null || chunks[0].text().isEmpty()) {
            throw new IllegalStateException("the mock stream did not decode: " + lines.length + " lines");
        }
    }

    /** Upstream line → {@link ChatChunk}: SSE framing, the chunk's fields read from its bytes. */
    @Benchmark
    public ChatChunk decode() {
        return decode(lines[advance()]);
    }

    /** {@link ChatChunk} → {@code data: {…}\n\n}: the gateway's chunk object and its serialisation. */
    @Benchmark
    public Buffer encode() {
        return encode(chunks[advance()]);
    }

    /** Both: what one content chunk costs the gateway between upstream and client sockets. */
    @Benchmark
    public Buffer relay() {
        return encode(decode(lines[advance()]));
    }

    private int advance() {
        int i = next;
        next = i + 1 == lines.length ? 0 : i + 1;
        return i;
    }

    private ChatChunk decode(byte[] line) {
        decoder.line(line, 0, line.length, sink); // as HttpStream hands on each line of an upstream read
        decoder.line(line, 0, 0, sink); // the blank line dispatches the event
        return sink.last;
    }

    private Buffer encode(ChatChunk chunk) {
        Buffer json = ChatCompletionResponse.chunk(id, created, chunk.model(), null, chunk.text(), null);
        return Buffer.buffer(json.length() + 8).appendBytes(DATA).appendBuffer(json).appendBytes(END);
    }

    private static final class LastChunk implements StreamSink {
        ChatChunk last;

        @Override
        public void chunk(ChatChunk chunk) {
            last = chunk;
        }

        @Override
        public void end() {
        }

        @Override
        public void fail(ProviderException error) {
            throw error;
        }

        @Override
        public void malformed(String what) {
            throw new IllegalStateException("malformed: " + what);
        }
    }
}
