package dev.levee.spi;

/**
 * Receives one {@link UsageRow} per request, refused ones included. Called on the request's event
 * loop as the request ends: queue the row and return — never block, never throw (a sink that cannot
 * keep up must count what it drops, not slow the request down).
 */
@FunctionalInterface
public interface UsageSink {
    void accept(UsageRow row);
}
