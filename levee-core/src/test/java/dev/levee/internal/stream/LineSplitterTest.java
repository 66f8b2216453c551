package dev.levee.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {
    private final List<String> lines = new ArrayList<>();

    @Test
    void splitsLfAndCrLfLinesAndKeepsEmptyOnes() {
        LineSplitter splitter = splitter(1024, lines);
        splitter.handle(Buffer.buffer("data: {\"a\":1}\n\ndata: [DONE]\r\n\r\n"));
        assertThat(lines).containsExactly("data: {\"a\":1}", "", "data: [DONE]", "");
    }

    @Test
    void aLineCutByTheReadIsCompletedByTheNext() {
        LineSplitter splitter = splitter(1024, lines);
        splitter.handle(Buffer.buffer("data: hel"));
        assertThat(lines).isEmpty();
        splitter.handle(Buffer.buffer("lo\ndata: wor"));
        splitter.handle(Buffer.buffer("l"));
        splitter.handle(Buffer.buffer("d\r"));
        splitter.handle(Buffer.buffer("\nlast"));
        assertThat(lines).containsExactly("data: hello", "data: world");
    }

    @Test
    void everySplitPointOfAStreamGivesTheSameLines() {
        byte[] stream = "data: {\"content\":\"héllo wörld 你好 🙂\"}\r\n\r\n: keep-alive\ndata: [DONE]\n\n"
                .getBytes(StandardCharsets.UTF_8);
        List<String> whole = new ArrayList<>();
        splitter(1024, whole).handle(Buffer.buffer(stream));
        assertThat(whole).containsExactly("data: {\"content\":\"héllo wörld 你好 🙂\"}", "", ": keep-alive",
                "data: [DONE]", "");
        for (int a = 0; a <= stream.length; a++) {
            for (int b = a; b <= stream.length; b++) {
                List<String> got = new ArrayList<>();
                LineSplitter splitter = splitter(1024, got);
                splitter.handle(Buffer.buffer(Arrays.copyOfRange(stream, 0, a)));
                splitter.handle(Buffer.buffer(Arrays.copyOfRange(stream, a, b)));
                splitter.handle(Buffer.buffer(Arrays.copyOfRange(stream, b, stream.length)));
                assertThat(got).as("split at %d and %d", a, b).isEqualTo(whole);
            }
        }
    }

    @Test
    void refusesALineOverTheLimitWhetherItArrivesWholeOrInPieces() {
        LineSplitter whole = splitter(8, lines);
        whole.handle(Buffer.buffer("12345678\n12345678\r\n"));
        assertThat(lines).containsExactly("12345678", "12345678");
        assertThatThrownBy(() -> whole.handle(Buffer.buffer("123456789\n")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("8 bytes");

        LineSplitter pieces = splitter(8, lines);
        pieces.handle(Buffer.buffer("12345"));
        pieces.handle(Buffer.buffer("6789")); // nine bytes could still be eight and a '\r'
        assertThatThrownBy(() -> pieces.handle(Buffer.buffer("\n")))
                .isInstanceOf(IllegalStateException.class);

        LineSplitter unending = splitter(8, lines);
        unending.handle(Buffer.buffer("12345"));
        assertThatThrownBy(() -> unending.handle(Buffer.buffer("67890"))) // refused before the line ends
                .isInstanceOf(IllegalStateException.class);
        assertThat(lines).hasSize(2);
    }

    /**
     * Reads are scanned in place: one that is a window into a larger array (a slice), one held
     * outside the heap, and one whose Netty reader index has moved all give the read's own lines
     * (for the last, its readable bytes, which its {@code length()} and {@code toString()} are).
     */
    @Test
    void readsThatAreSlicesDirectMemoryOrPartlyConsumedGiveTheirOwnLines() {
        String text = "data: one\n\ndata: two\r\npartial";
        Buffer padded = Buffer.buffer("garbage\n" + text + "\nmore garbage\n");
        Buffer slice = padded.slice(8, 8 + text.length());
        LineSplitter fromSlice = splitter(1024, lines);
        fromSlice.handle(slice);
        fromSlice.handle(Buffer.buffer(" end\n"));
        assertThat(lines).containsExactly("data: one", "", "data: two", "partial end");

        lines.clear();
        io.netty.buffer.ByteBuf direct = io.netty.buffer.Unpooled.directBuffer(64)
                .writeBytes(text.getBytes(StandardCharsets.UTF_8));
        LineSplitter fromDirect = splitter(1024, lines);
        fromDirect.handle(io.vertx.core.internal.buffer.BufferInternal.buffer(direct));
        fromDirect.handle(Buffer.buffer("\n"));
        assertThat(lines).containsExactly("data: one", "", "data: two", "partial");

        lines.clear();
        io.netty.buffer.ByteBuf consumed = io.netty.buffer.Unpooled.buffer(64)
                .writeBytes(text.getBytes(StandardCharsets.UTF_8));
        consumed.readerIndex(6);
        Buffer rest = io.vertx.core.internal.buffer.BufferInternal.buffer(consumed);
        assertThat(rest.toString()).startsWith("one\n");
        LineSplitter fromConsumed = splitter(1024, lines);
        fromConsumed.handle(rest);
        fromConsumed.handle(Buffer.buffer("\n"));
        assertThat(lines).containsExactly("one", "", "data: two", "partial");
    }

    /** A splitter whose lines are decoded as UTF-8 and collected. */
    private static LineSplitter splitter(int maxLineBytes, List<String> into) {
        return new LineSplitter(maxLineBytes, (bytes, from, to) ->
                into.add(new String(bytes, from, to - from, StandardCharsets.UTF_8)));
    }
}
