package dev.levee.internal.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.levee.Ticker;
import dev.levee.spi.KeyStore;
import dev.levee.spi.VirtualKey;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Virtual keys by hash, in memory, in front of a {@link KeyStore} that may block. The request path
 * reads it without waiting when an answer is fresh (younger than {@code ttl}); an answer between
 * half its ttl and its ttl is served and reloaded in the background, so a key in use is never
 * waited for; an older one is reloaded first. A revoke made on another instance is therefore seen
 * within {@code ttl}. When the store cannot answer, the last answer is used for up to {@code stale}
 * — a database outage must not lock every caller out, nor make each wait for a lookup that times
 * out — and after that the request is refused.
 * Unknown hashes are cached too, so a flood of wrong keys does not become a flood of queries.
 */
final class KeyCache {
    private static final Logger log = LoggerFactory.getLogger("levee.auth");

    private final KeyStore store;
    private final Executor executor;
    private final Ticker ticker;
    private final long ttlNanos;
    private final Cache<String, Entry> entries;
    private final Map<String, CompletableFuture<Entry>> loading = new ConcurrentHashMap<>();
    private volatile long lastFailureLog;
    private volatile boolean storeDown;

    /** A store's answer and when it was given. */
    record Entry(Optional<VirtualKey> key, long loadedAt) {
    }

    KeyCache(KeyStore store, Executor executor, Ticker ticker, Duration ttl, Duration stale, long maxEntries) {
        this.store = store;
        this.executor = executor;
        this.ticker = ticker;
        this.ttlNanos = ttl.toNanos();
        this.entries = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(stale)
                .ticker(ticker::nanoTime).build();
    }

    /** The answer for {@code hash}: at once when fresh, else once the store has answered (or failed). */
    CompletableFuture<Optional<VirtualKey>> find(String hash) {
        Entry cached = entries.getIfPresent(hash);
        long age = cached == null ? Long.MAX_VALUE : ticker.nanoTime() - cached.loadedAt();
        if (age < ttlNanos || cached != null && storeDown) {
            if (age > ttlNanos / 2) {
                load(hash); // in the background: the next request gets a fresher answer
            }
            // During an outage a request does not wait for a lookup that will time out: the last
            // answer serves (within the stale bound) while the background lookup finds out.
            return CompletableFuture.completedFuture(cached.key());
        }
        return load(hash).handle((entry, error) -> {
            if (error == null) {
                return entry.key();
            }
            if (cached != null) {
                return cached.key(); // the store is down: the last answer, within the stale bound
            }
            throw new KeyStoreUnavailable(error);
        });
    }

    /** Forgets every answer, so the next lookup of each key asks the store (after a local revoke). */
    void invalidateAll() {
        entries.invalidateAll();
    }

    /** One lookup per hash at a time, however many requests wait for it. */
    private CompletableFuture<Entry> load(String hash) {
        CompletableFuture<Entry> f = new CompletableFuture<>();
        CompletableFuture<Entry> running = loading.putIfAbsent(hash, f);
        if (running != null) {
            return running;
        }
        f.whenComplete((entry, error) -> {
            if (entry != null) {
                storeDown = false;
                entries.put(hash, entry);
            } else {
                storeDown = true;
                logFailure(error);
            }
            loading.remove(hash, f);
        });
        try {
            executor.execute(() -> {
                try {
                    f.complete(new Entry(Optional.ofNullable(store.findByHash(hash)), ticker.nanoTime()));
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) { // the lookup queue is full: the store is far behind
            f.completeExceptionally(e);
        }
        return f;
    }

    private void logFailure(Throwable error) {
        long now = ticker.nanoTime();
        if (now - lastFailureLog > 10_000_000_000L) { // one line per ten seconds of outage, not one per request
            lastFailureLog = now;
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            log.warn("key store lookup failed; using cached keys where known: {}", cause.toString());
        }
    }

    /** The key store could not answer and nothing was cached. */
    static final class KeyStoreUnavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        KeyStoreUnavailable(Throwable cause) {
            super("key store unavailable", cause, false, false);
        }
    }
}
