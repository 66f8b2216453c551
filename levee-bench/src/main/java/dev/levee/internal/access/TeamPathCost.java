package dev.levee.internal.access;

import dev.levee.Ticker;
import dev.levee.spi.ApiKeys;
import dev.levee.spi.KeyLimits;
import dev.levee.spi.UsageRow;
import dev.levee.spi.UsageSink;
import dev.levee.spi.VirtualKey;
import dev.levee.store.Store;
import dev.levee.config.StorageConfig;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * What a team's gateway adds to each request, piece by piece: the key check on a cache hit (a
 * SHA-256 of the key and a cache lookup — what the authentication link does for a known key), and
 * the usage row (built and handed to the ledger's queue on the event loop; then written to SQLite
 * in batches by the ledger's own thread: {@code ledgerRowWritten} queues 1,000 rows and waits until
 * they are in the database — its wall-clock score is mostly the writer's linger — and the trial
 * prints the ledger thread's CPU per row).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TeamPathCost {
    private KeyCache cache;
    private String key;
    private Store store;
    private UsageSink ledger;
    private long written;

    @Setup(Level.Trial)
    public void start() throws Exception {
        key = ApiKeys.generate();
        VirtualKey known = new VirtualKey("key_bench", ApiKeys.visiblePrefix(key), "bench", "team", "user", Set.of(),
                Instant.now(), null, null, KeyLimits.NONE);
        String hash = ApiKeys.hash(key);
        cache = new KeyCache(h -> h.equals(hash) ? known : null, Runnable::run, Ticker.SYSTEM, Duration.ofHours(1),
                Duration.ofHours(2), 100_000);
        cache.find(hash).join();
        store = Store.open(StorageConfig.DEFAULTS.withDataDir(Files.createTempDirectory("levee-jmh-ledger-")));
        ledger = store.ledger();
    }

    @Benchmark
    public Optional<VirtualKey> keyCheckOnCacheHit() {
        CompletableFuture<Optional<VirtualKey>> found = cache.find(ApiKeys.hash(key));
        return found.getNow(null);
    }

    @Benchmark
    public UsageRow usageRowBuilt() {
        return row(0);
    }

    /** 1,000 rows queued, then waited for until the ledger's thread has written them to SQLite. */
    @Benchmark
    @OperationsPerInvocation(1)
    public long ledgerRowWritten() throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            ledger.accept(row(i));
        }
        written += 1000;
        while (store.ledgerRows() < written) {
            Thread.sleep(1);
        }
        return written;
    }

    private static UsageRow row(int i) {
        return new UsageRow("req-" + i, Instant.now(), "key_bench", "team", "user", "default", "mock", "gpt-4o-mini",
                0, "ok", null, 12, 34, 0, 56_000L, 1.25, null, false, Map.of());
    }

    /**
     * The ledger thread's CPU per row written, over the whole trial (its idle wake-ups included):
     * the ledger's cost off the event loop, which JMH's wall-clock score cannot show.
     */
    @TearDown(Level.Trial)
    public void stop() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if ("levee-ledger".equals(t.getName()) && written > 0) {
                System.out.printf("%nledger thread CPU: %.2f us per row over %d rows%n",
                        threads.getThreadCpuTime(t.getId()) / 1000.0 / written, written);
            }
        }
        store.close();
    }
}
