package dev.levee.spi;

import dev.levee.spi.LeveeEvent;

/**
 * Observes the request path. Called synchronously on the request's event-loop thread: do not
 * block; hand slow work (files, databases, networks) to your own executor.
 */
@FunctionalInterface
public interface LeveeEventListener {
    void onEvent(LeveeEvent event);
}
