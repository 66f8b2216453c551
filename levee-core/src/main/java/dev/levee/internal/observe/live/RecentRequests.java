package dev.levee.internal.observe.live;

import dev.levee.spi.TelemetryRecord;
import dev.levee.spi.TelemetrySink;
import java.util.List;
import java.util.Optional;

/**
 * The last requests as their telemetry records (attempts, tokens, cost, anomaly — never a prompt),
 * newest first and by request id, for the console's request list and drill-down.
 *
 * <p>A lookup by id scans the ring: a few microseconds for the console now and then, where an index
 * kept beside the ring cost every request a map insert and removal (bench/: ~2 % of a request's CPU).
 */
public final class RecentRequests implements TelemetrySink {
    public static final int CAPACITY = 500;

    private final Ring<TelemetryRecord> ring = new Ring<>(CAPACITY);

    @Override
    public void accept(TelemetryRecord record) {
        ring.add(record);
    }

    public List<TelemetryRecord> newestFirst(int limit) {
        return ring.newestFirst(limit);
    }

    /** The newest record with this id (an id sent by a client may repeat). */
    public Optional<TelemetryRecord> byId(String requestId) {
        if (requestId == null) {
            return Optional.empty();
        }
        for (TelemetryRecord r : ring.newestFirst(CAPACITY)) {
            if (requestId.equals(r.requestId())) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
