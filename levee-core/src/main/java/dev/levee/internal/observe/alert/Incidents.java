package dev.levee.internal.observe.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * De-duplication: an incident (kind + key) pages at most once per window. Occurrences inside the
 * window are counted and reported by the next alert of that incident: the next occurrence after
 * the window, a resolution, or {@link #due} once the window has passed. Thread-safe; every method
 * is a short critical section with no I/O.
 */
final class Incidents {
    /** Bounds memory if keys were ever unbounded; real keys are models, targets and routes from the config. */
    private static final int MAX_INCIDENTS = 10_000;

    private record Key(Alert.Kind kind, String key) {
    }

    /** What to do about one occurrence. */
    record Decision(Alert send, boolean firstHeldBack, Instant heldUntil) {
    }

    private static final class Incident {
        Alert latest;
        Instant lastPaged;
        int pending;
        Instant firstPending;
        Instant lastSeen;
        /** In its bad state (breaker open, rate above the threshold); anomalies are never active. */
        boolean active;
        /** The current activation was paged, so its end deserves a resolution. */
        boolean pagedActive;
    }

    private final Duration window;
    private final Map<Key, Incident> incidents = new HashMap<>();

    Incidents(Duration window) {
        this.window = window;
    }

    /**
     * An occurrence of {@code draft}'s incident at {@code now}.
     *
     * @param lasting whether the incident has a state that a later {@link #resolved} ends
     */
    synchronized Decision occurred(Alert draft, boolean lasting, Instant now) {
        Key key = new Key(draft.kind(), draft.key());
        Incident inc = incidents.get(key);
        if (inc == null) {
            if (incidents.size() >= MAX_INCIDENTS) {
                evict(now, true);
            }
            inc = new Incident();
            incidents.put(key, inc);
        }
        boolean newActivation = lasting && !inc.active;
        inc.latest = draft;
        inc.active = lasting;
        if (inc.pending == 0) {
            inc.firstPending = now;
        }
        inc.pending++;
        inc.lastSeen = now;
        if (inc.lastPaged == null || !now.isBefore(inc.lastPaged.plus(window))) {
            Alert alert = draft.withOccurrences(inc.pending, inc.firstPending, now);
            inc.pending = 0;
            inc.lastPaged = now;
            inc.pagedActive = lasting;
            return new Decision(alert, false, null);
        }
        if (newActivation) {
            inc.pagedActive = false;
        }
        return new Decision(null, inc.pending == 1, inc.lastPaged.plus(window));
    }

    /** The incident's bad state ended: a resolution, if its start was paged. */
    synchronized Alert resolved(Alert draft, Instant now) {
        Incident inc = incidents.get(new Key(draft.kind(), draft.key()));
        if (inc == null || !inc.active) {
            return null;
        }
        inc.active = false;
        if (!inc.pagedActive) {
            return null;
        }
        inc.pagedActive = false;
        Alert alert = draft.withOccurrences(inc.pending, inc.lastPaged, now);
        inc.pending = 0;
        return alert;
    }

    /** Occurrences held back in windows that have now passed, one alert per incident. */
    synchronized List<Alert> due(Instant now) {
        List<Alert> out = new ArrayList<>(0);
        for (Incident inc : incidents.values()) {
            if (inc.pending > 0 && !now.isBefore(inc.lastPaged.plus(window))) {
                out.add(inc.latest.withOccurrences(inc.pending, inc.firstPending, inc.lastSeen));
                inc.pending = 0;
                inc.lastPaged = now;
            }
        }
        evict(now, false);
        return out;
    }

    /** Forgets quiet incidents: long past their window, nothing pending, not in a bad state. */
    private void evict(Instant now, boolean urgently) {
        Instant cutoff = now.minus(urgently ? window : window.multipliedBy(2));
        for (Iterator<Incident> it = incidents.values().iterator(); it.hasNext(); ) {
            Incident inc = it.next();
            if (!inc.active && inc.pending == 0 && inc.lastPaged != null && inc.lastPaged.isBefore(cutoff)) {
                it.remove();
            }
        }
    }
}
