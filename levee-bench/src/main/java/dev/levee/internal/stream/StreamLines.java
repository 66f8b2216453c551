package dev.levee.internal.stream;

import dev.levee.bench.InstantUpstream;
import io.vertx.core.buffer.Buffer;
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
 * Splitting an upstream read into lines ({@link LineSplitter}), before any line is decoded: the
 * bench's whole stream (~4.7 KB, 24 events) as the one read it usually arrives in.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StreamLines {
    private Buffer read;
    private LineSplitter splitter;
    private long sum;

    @Setup
    public void setUp() {
        read = InstantUpstream.STREAM.copy();
        splitter = new LineSplitter(1 << 20, (bytes, from, to) -> sum += to - from + bytes[from]);
    }

    /** One read of the whole stream: what the lines add up to, so none is optimised away. */
    @Benchmark
    public long split() {
        sum = 0;
        splitter.handle(read);
        return sum;
    }
}
