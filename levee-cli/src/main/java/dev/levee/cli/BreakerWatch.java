package dev.levee.cli;

import dev.levee.spi.LeveeEvent;
import dev.levee.spi.LeveeEvent.CircuitStateChanged;
import dev.levee.spi.LeveeEventListener;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers every breaker transition, so the demo can show the state machine's path. */
final class BreakerWatch implements LeveeEventListener {
    private final List<CircuitStateChanged> transitions = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(LeveeEvent event) {
        if (event instanceof CircuitStateChanged changed) {
            transitions.add(changed);
        }
    }

    List<CircuitStateChanged> of(String target) {
        return transitions.stream().filter(t -> t.target().equals(target)).toList();
    }

    /** The last time the target's breaker opened. */
    Optional<CircuitStateChanged> lastOpened(String target) {
        List<CircuitStateChanged> mine = of(target);
        for (int i = mine.size() - 1; i >= 0; i--) {
            if ("OPEN".equals(mine.get(i).to())) {
                return Optional.of(mine.get(i));
            }
        }
        return Optional.empty();
    }
}
