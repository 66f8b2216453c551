package dev.levee.internal.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.ChatChunk;
import dev.levee.FinishReason;
import dev.levee.Provenance;
import dev.levee.Usage;
import dev.levee.internal.provider.StreamSink;
import dev.levee.spi.ProviderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The streaming read of {@code chat.completion.chunk}s, which guesses each field name from the order
 * OpenAI writes them in: a chunk in any other order, with fields it does not know, or naming another
 * model reads the same.
 */
class ChunkFieldsTest {
    private final List<ChatChunk> chunks = new ArrayList<>();
    private final List<String> malformed = new ArrayList<>();
    private boolean ended;
    private final StreamSink sink = new StreamSink() {
        @Override
        public void chunk(ChatChunk chunk) {
            chunks.add(chunk);
        }

        @Override
        public void end() {
            ended = true;
        }

        @Override
        public void fail(ProviderException error) {
            throw error;
        }

        @Override
        public void malformed(String what) {
            malformed.add(what);
        }
    };
    private final OpenAiAdapter.OpenAiStreamDecoder decoder = new OpenAiAdapter.OpenAiStreamDecoder("p", "gpt-4o-mini");

    /** As HttpStream hands lines on: bytes of an upstream read, valid only during the call. */
    private void send(String data) {
        send(("data: " + data).getBytes(StandardCharsets.UTF_8));
    }

    private void send(byte[] line) {
        byte[] read = java.util.Arrays.copyOf(line, line.length + 2); // the line and its blank line in one read
        read[line.length] = '\n';
        read[line.length + 1] = '\n';
        new dev.levee.internal.stream.LineSplitter(1 << 20, (bytes, from, to) -> decoder.line(bytes, from, to, sink))
                .handle(io.vertx.core.buffer.Buffer.buffer(read));
        java.util.Arrays.fill(read, (byte) 'x'); // what a reused buffer would do to bytes held past the call
    }

    @Test
    void chunksInOpenAisOrderInAnotherOrderAndWithUnknownFieldsReadAlike() {
        send("""
                {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini",\
                "service_tier":"default","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"role":"assistant",\
                "content":""},"logprobs":null,"finish_reason":null}],"usage":null}""");
        send("""
                {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini",\
                "system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,\
                "finish_reason":null}],"obfuscation":"x1"}""");
        send("""
                {"choices":[{"finish_reason":null,"delta":{"content":", \\"world\\" \\u00e9"},"index":0}],\
                "model":"gpt-4o-mini","future_field":{"nested":[1,{"model":"not this"}]},"id":"chatcmpl-other",\
                "created":1}""");
        send("""
                {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,\
                "model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{},"logprobs":null,\
                "finish_reason":"stop"}]}""");
        send("""
                {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini-2024-07-18",\
                "choices":[],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}""");

        assertThat(malformed).isEmpty();
        assertThat(chunks).extracting(ChatChunk::text).containsExactly("Hello", ", \"world\" é", "", "");
        assertThat(chunks).extracting(ChatChunk::model).as("a model named anew is taken")
                .containsExactly("gpt-4o-mini", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", "gpt-4o-mini-2024-07-18");
        assertThat(chunks.get(0).provenance()).as("from the first chunk, not a later one")
                .isEqualTo(new Provenance("chatcmpl-1", 1700000000L, "fp_1"));
        assertThat(chunks.get(2).finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(chunks.get(3).usage()).isEqualTo(new Usage(9, 3, 12, false));
        assertThat(ended).as("usage after the finish: nothing more to wait for").isTrue();
    }

    @Test
    void theModelStringIsKeptWhileTheStreamNamesTheSameModel() {
        send("{\"model\":\"gpt-4o-mini\",\"choices\":[{\"delta\":{\"content\":\"a\"}}]}");
        send("{\"model\":\"gpt-4o-mino\",\"choices\":[{\"delta\":{\"content\":\"b\"}}]}");
        send("{\"model\":\"gpt-4o-mino\",\"choices\":[{\"delta\":{\"content\":\"c\"}}]}");
        assertThat(chunks).extracting(ChatChunk::model).containsExactly("gpt-4o-mini", "gpt-4o-mino", "gpt-4o-mino");
        assertThat(chunks.get(2).model()).isSameAs(chunks.get(1).model());
    }

    @Test
    void aChunkThatIsNotUtf8IsMalformedNotRelayedWithReplacementCharacters() {
        byte[] line = "data: {\"choices\":[{\"delta\":{\"content\":\"caf\u00e9\"}}]}".getBytes(StandardCharsets.UTF_8);
        send(line);
        byte[] broken = line.clone();
        int e = new String(line, StandardCharsets.ISO_8859_1).indexOf('\u00c3'); // the first byte of é
        broken[e + 1] = (byte) 0x28; // no longer a continuation byte
        send(broken);
        assertThat(chunks).extracting(ChatChunk::text).containsExactly("café");
        assertThat(malformed).hasSize(1);
    }

    @Test
    void aDoneWithSpacesEndsTheStream() {
        send(" [DONE] ");
        assertThat(ended).isTrue();
    }

    @Test
    void toolCallsAndBrokenChunksLeaveTheFastPath() {
        send("""
                {"id":"c","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1",\
                "type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":null}]}""");
        assertThat(chunks).singleElement().satisfies(c -> assertThat(c.toolCalls()).hasSize(1));
        send("{\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"x\"}}]");
        send("{\"choices\":[{\"delta\":{\"content\":\"x\"}}]} {}");
        assertThat(malformed).hasSize(2);
    }
}
