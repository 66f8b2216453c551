package dev.levee.internal.observe.live;

import dev.levee.BreakerTransition;
import dev.levee.spi.LeveeEvent;
import dev.levee.spi.LeveeEventListener;
import java.util.List;

/** The last circuit-breaker transitions, newest first: the console's breaker timeline. */
public final class BreakerHistory implements LeveeEventListener {
    public static final int CAPACITY = 200;

    private final Ring<BreakerTransition> ring = new Ring<>(CAPACITY);

    @Override
    public void onEvent(LeveeEvent event) {
        if (event instanceof LeveeEvent.CircuitStateChanged c) {
            ring.add(new BreakerTransition(c.at(), c.target(), c.from(), c.to()));
        }
    }

    public List<BreakerTransition> newestFirst(int limit) {
        return ring.newestFirst(limit);
    }
}
