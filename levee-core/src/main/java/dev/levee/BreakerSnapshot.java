package dev.levee;

/**
 * A breaker's state for {@code /levee/breakers} and {@code Levee.breakers()}.
 *
 * @param failureRate the failure rate over the window, 0 until the minimum number of calls
 */
public record BreakerSnapshot(String target, String state, int failedCalls, int successfulCalls, double failureRate,
                              int consecutiveFailures, long notPermittedCalls) {
}
