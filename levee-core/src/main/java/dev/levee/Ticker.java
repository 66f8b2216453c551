package dev.levee;

/**
 * A source of monotonic time in nanoseconds, like {@link System#nanoTime()}. levee reads elapsed
 * time and deadlines from it, so a test can move time by hand instead of sleeping.
 */
@FunctionalInterface
public interface Ticker {
    Ticker SYSTEM = System::nanoTime;

    long nanoTime();
}
