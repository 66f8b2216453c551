package dev.levee.internal.resilience;

import dev.levee.config.TierConfig;
import dev.levee.spi.Deadline;

/**
 * One target (provider/model) as a route strategy chose it for a request.
 *
 * @param tier the tier's position in the route (0 = primary)
 * @param config the tier: target, parameter caps, capabilities
 * @param deadline by when this target must have answered, retries included
 */
public record Target(int tier, TierConfig config, Deadline deadline) {
    public String name() {
        return config.target();
    }
}
