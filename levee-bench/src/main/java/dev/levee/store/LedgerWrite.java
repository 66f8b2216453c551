package dev.levee.store;

import dev.levee.config.ConfigLoader;
import dev.levee.config.LeveeConfig;
import dev.levee.spi.UsageRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The usage ledger as a request sees it and as the database does (SQLite, as {@code levee serve}
 * keeps it by default): {@code enqueue} is what a request pays on its event loop, handing its row to
 * the writer — timed with the queue drained before each batch, so it never meets a full queue;
 * {@code enqueueAndWrite} includes the writer thread's batched insert, so it is the rate the ledger
 * can sustain. Per row; each trial also prints the writer thread's CPU per row, the ledger's cost
 * off the event loop. Lives in the store's package to read how many rows were written without
 * asking the database.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class LedgerWrite {
    private static final int BATCH = 1000;
    /** Rows the sustained benchmark lets wait for the writer: half the queue, so none is dropped. */
    private static final int IN_FLIGHT = 32_768;

    /** A store in a scratch directory, and its ledger. */
    @State(Scope.Benchmark)
    public abstract static class Ledgered {
        Path data;
        Store store;
        Ledger ledger;
        final UsageRow row = new UsageRow("req-0123456789", Instant.now(), "key-0123", "bench", "alice", "default",
                "mock", "gpt-4o-mini", 0, "ok", null, 812, 164, 0, 1_234_567L, 231.5, 48.2, true, Map.of("app", "jmh"));
        long accepted;

        @Setup(Level.Trial)
        public void start() throws Exception {
            LeveeConfig config = ConfigLoader.parse("""
                    providers:
                      mock: { type: openai, base_url: "http://127.0.0.1:9/v1" }
                    routes:
                      default:
                        tiers:
                          - target: mock/gpt-4o-mini
                    """, "jmh", name -> null);
            data = Files.createTempDirectory("levee-jmh-ledger-");
            store = Store.open(config.storage().withDataDir(data));
            ledger = (Ledger) store.ledger();
        }

        long waiting() {
            return accepted - ledger.written() - ledger.dropped();
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if ("levee-ledger".equals(t.getName()) && ledger.written() > 0) {
                    System.out.printf("%nledger thread CPU: %.2f us per row over %d rows%n",
                            threads.getThreadCpuTime(t.getId()) / 1000.0 / ledger.written(), ledger.written());
                }
            }
            long dropped = ledger.dropped();
            store.close();
            try (var paths = Files.walk(data)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            if (dropped > 0) {
                throw new IllegalStateException(dropped + " rows dropped: the benchmark met a full queue");
            }
        }
    }

    public static class Drained extends Ledgered {
        /** Before each timed batch: the writer has caught up, so the queue has room for the whole batch. */
        @Setup(Level.Invocation)
        public void drained() {
            while (waiting() > 0) {
                LockSupport.parkNanos(100_000);
            }
        }
    }

    public static class Sustained extends Ledgered {
    }

    /** What a request pays on its event loop: handing its row to the writer. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void enqueue(Drained s) {
        for (int i = 0; i < BATCH; i++) {
            s.ledger.accept(s.row);
        }
        s.accepted += BATCH;
    }

    /** The rate the ledger sustains: rows handed over no faster than the writer inserts them. */
    @Benchmark
    public void enqueueAndWrite(Sustained s) {
        while (s.waiting() >= IN_FLIGHT) {
            LockSupport.parkNanos(50_000);
        }
        s.ledger.accept(s.row);
        s.accepted++;
    }
}
