package dev.levee.internal.resilience;

import dev.levee.config.ResilienceConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests in flight per provider target, with room kept for the higher priorities: a batch request
 * finds the target full first, then a standard one; a critical one may use all of it. A request holds
 * its place from the moment a target is chosen until the request ends (a stream: until it ends).
 * Targets come from the configuration, so the map stays as small as it.
 */
public final class Bulkheads {
    private final ResilienceConfig.Bulkhead settings;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    public Bulkheads(ResilienceConfig.Bulkhead settings) {
        this.settings = settings;
    }

    /** Takes a place at {@code target} for a request of {@code priority}, or says it is full for it. */
    public boolean tryEnter(String target, String priority) {
        AtomicInteger n = inFlight.computeIfAbsent(target, t -> new AtomicInteger());
        int below = settings.admitsBelow(priority);
        while (true) {
            int current = n.get();
            if (current >= below) {
                return false;
            }
            if (n.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    public void leave(String target) {
        AtomicInteger n = inFlight.get(target);
        if (n != null) {
            n.decrementAndGet();
        }
    }

    public int inFlight(String target) {
        AtomicInteger n = inFlight.get(target);
        return n == null ? 0 : n.get();
    }
}
