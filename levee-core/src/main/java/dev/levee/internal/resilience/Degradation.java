package dev.levee.internal.resilience;

import dev.levee.DegradationMode;
import dev.levee.config.ResilienceConfig;
import dev.levee.config.TierConfig;
import dev.levee.spi.LeveeEvent;
import dev.levee.spi.LeveeEventListener;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The gateway's degradation mode, from the share of targets whose breaker is open and, over the last
 * minute, the share of requests that fell back past trouble (a failed attempt or an open breaker) and
 * the share that got no model answer at all (the rule-based reply, or an error). A worse mode is entered at once; a better one one level at a time, once
 * the worse mode's cause has been gone for {@code hold} — so the mode does not flap.
 *
 * <p>A mode must not keep itself alive. Requests degraded on purpose are not trouble, and a breaker
 * counts as open only until it is due for a probe ({@code open_for}): the traffic a mode holds back
 * (expensive tiers, non-critical keys) may never come to probe it. Once the mode lifts, the next
 * request probes it; if the target is still down, its breaker opens again and so does the mode.
 */
public final class Degradation implements LeveeEventListener {
    /** Told of each change of mode, with what caused it. */
    public interface Listener {
        void changed(DegradationMode from, DegradationMode to, String reason);
    }

    private final ResilienceConfig.Degradation settings;
    private final Breakers breakers;
    private final Set<String> targets = new LinkedHashSet<>();
    private final Clock clock;
    private final Listener listener;
    private final long[] seconds = new long[60];
    private final int[] requests = new int[60];
    private final int[] troubled = new int[60];
    private final int[] unanswered = new int[60];
    private volatile DegradationMode mode = DegradationMode.NORMAL;
    /** Since when the current mode's cause has been gone, or -1. */
    private long calmSince = -1;
    /** When the mode was last judged: a healthy request judges it at most once a second. */
    private long judgedAt = Long.MIN_VALUE;

    public Degradation(ResilienceConfig.Degradation settings, Breakers breakers, Collection<TierConfig> tiers,
                       Clock clock, Listener listener) {
        this.settings = settings;
        this.breakers = breakers;
        this.clock = clock;
        this.listener = listener;
        for (TierConfig tier : tiers) {
            targets.add(tier.target());
        }
    }

    public DegradationMode mode() {
        return mode;
    }

    public int degradedMaxTokens() {
        return settings.degradedMaxTokens();
    }

    /**
     * One request's walk is over.
     *
     * @param trouble it fell back past a failed target or an open breaker
     * @param noAnswer no model answered it (it was not held back on purpose)
     */
    public void record(boolean trouble, boolean noAnswer) {
        if (!settings.enabled()) {
            return;
        }
        synchronized (this) {
            long now = clock.millis();
            long second = Math.floorDiv(now, 1000);
            int i = (int) Math.floorMod(second, 60L);
            if (seconds[i] != second) {
                seconds[i] = second;
                requests[i] = 0;
                troubled[i] = 0;
                unanswered[i] = 0;
            }
            requests[i]++;
            if (trouble) {
                troubled[i]++;
            }
            if (noAnswer) {
                unanswered[i]++;
            }
            // Trouble may call for a worse mode at once; calm only lifts one after a hold, so judging
            // it once a second is enough - and spares every healthy request a look at each breaker.
            if (trouble || noAnswer || now - judgedAt >= 1000) {
                evaluate(now);
            }
        }
    }

    /** A breaker changed state: the mode is judged again at once. */
    @Override
    public void onEvent(LeveeEvent event) {
        if (event instanceof LeveeEvent.CircuitStateChanged && settings.enabled()) {
            synchronized (this) {
                evaluate(clock.millis());
            }
        }
    }

    private record Judgement(DegradationMode mode, String why) {
    }

    private void evaluate(long now) {
        judgedAt = now;
        Judgement judged = judge(now);
        DegradationMode wanted = judged.mode();
        DegradationMode current = mode;
        if (wanted.compareTo(current) > 0) {
            change(current, wanted, judged.why());
        } else if (wanted.compareTo(current) < 0) {
            if (calmSince < 0) {
                calmSince = now;
            } else if (now - calmSince >= settings.hold().toMillis()) {
                DegradationMode better = DegradationMode.values()[current.ordinal() - 1];
                change(current, better, "calm for " + settings.hold().toSeconds() + " s");
            }
        } else {
            calmSince = -1;
        }
    }

    private void change(DegradationMode from, DegradationMode to, String reason) {
        mode = to;
        calmSince = -1;
        listener.changed(from, to, reason);
    }

    private Judgement judge(long now) {
        int considered = targets.size();
        int open = 0;
        for (String target : targets) {
            if (breakers.forTarget(target).resting()) {
                open++;
            }
        }
        double openShare = considered == 0 ? 0 : (double) open / considered;
        long second = Math.floorDiv(now, 1000);
        int total = 0;
        int trouble = 0;
        int failed = 0;
        for (int i = 0; i < 60; i++) {
            if (second - seconds[i] < 60) {
                total += requests[i];
                trouble += troubled[i];
                failed += unanswered[i];
            }
        }
        boolean rated = total >= settings.minimumRequests();
        String why = open + " of " + considered + " breakers open; of " + total + " requests in the last minute "
                + trouble + " fell back past trouble and " + failed + " got no model answer";
        if (openShare >= settings.emergencyOpenShare()
                || rated && (double) failed / total >= settings.emergencyFailureRate()) {
            return new Judgement(DegradationMode.EMERGENCY, why);
        }
        if (openShare >= settings.degradedOpenShare()
                || rated && (double) trouble / total >= settings.degradedFallbackRate()) {
            return new Judgement(DegradationMode.DEGRADED, why);
        }
        return new Judgement(DegradationMode.NORMAL, why);
    }
}
