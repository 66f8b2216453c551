package dev.levee.internal.resilience;

import dev.levee.config.TierConfig;
import dev.levee.spi.Deadline;

/**
 * One target (provider/model) as a route strategy chose it for a request.
 *
 * @param tier the tier's position in the route (0 = primary)
 * @param config the tier: target, parameter caps, capabilities
 * @param deadline by when this target must have answered, retries included
 * @param last whether no later tier could answer instead: a target that let its time pass is only
 *        tried again when it is the last
 */
public record Target(int tier, TierConfig config, Deadline deadline, boolean last) {
    public String name() {
        return config.target();
    }
}
