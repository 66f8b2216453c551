package dev.levee.config;

import java.time.Duration;

/**
 * Fault injection: library call options always work; request headers only when
 * {@code allowHeaders} is set, so a production gateway cannot be made to fail by its clients.
 *
 * @param allowHeaders accept {@code X-Levee-Test-*} headers at the gateway
 * @param highLoadDelay the delay {@code simulate_high_load} adds to each model attempt
 */
public record FaultInjectionConfig(boolean allowHeaders, Duration highLoadDelay) {
    public static final FaultInjectionConfig DEFAULTS = new FaultInjectionConfig(false, Duration.ofMillis(1500));
}
