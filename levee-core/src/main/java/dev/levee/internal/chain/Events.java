package dev.levee.internal.chain;

import dev.levee.spi.LeveeEvent;
import dev.levee.spi.LeveeEventListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fans events out to listeners; a failing listener is logged and never breaks a request. */
public final class Events {
    private static final Logger log = LoggerFactory.getLogger(Events.class);

    private final List<LeveeEventListener> listeners = new CopyOnWriteArrayList<>();

    public void add(LeveeEventListener listener) {
        listeners.add(listener);
    }

    public void emit(LeveeEvent event) {
        for (LeveeEventListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                log.error("event listener {} failed on {}", l.getClass().getName(), event.getClass().getSimpleName(), e);
            }
        }
    }
}
