package dev.levee.internal.resilience;

import dev.levee.BreakerSnapshot;
import dev.levee.Ticker;
import dev.levee.config.ResilienceConfig;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link TargetGuard} per target, created on first use. */
public final class Breakers {
    /** Told of every state change: target, from, to. */
    public interface TransitionListener {
        void onTransition(String target, String from, String to);
    }

    private final ResilienceConfig.Breaker settings;
    private final Clock clock;
    private final Ticker ticker;
    private final TransitionListener listener;
    private final Map<String, TargetGuard> guards = new ConcurrentHashMap<>();

    public Breakers(ResilienceConfig.Breaker settings, Clock clock, Ticker ticker, TransitionListener listener) {
        this.settings = settings;
        this.clock = clock;
        this.ticker = ticker;
        this.listener = listener;
    }

    public TargetGuard forTarget(String target) {
        return guards.computeIfAbsent(target,
                t -> new TargetGuard(t, settings, clock, ticker, (from, to) -> listener.onTransition(t, from, to)));
    }

    public List<BreakerSnapshot> snapshots() {
        return guards.values().stream().map(TargetGuard::snapshot)
                .sorted(java.util.Comparator.comparing(BreakerSnapshot::target)).toList();
    }
}
