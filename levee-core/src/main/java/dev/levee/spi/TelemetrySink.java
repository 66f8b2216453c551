package dev.levee.spi;

/**
 * Where telemetry records go. Called on event-loop threads: implementations hand the record off
 * (a queue, a non-blocking client) and return at once.
 */
@FunctionalInterface
public interface TelemetrySink extends AutoCloseable {
    void accept(TelemetryRecord record);

    @Override
    default void close() {
    }
}
