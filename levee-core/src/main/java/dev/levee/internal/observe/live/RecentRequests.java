package dev.levee.internal.observe.live;

import dev.levee.spi.TelemetryRecord;
import dev.levee.spi.TelemetrySink;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last requests as their telemetry records (attempts, tokens, cost, anomaly — never a prompt),
 * newest first and by request id, for the console's request list and drill-down.
 */
public final class RecentRequests implements TelemetrySink {
    public static final int CAPACITY = 500;

    private final Ring<TelemetryRecord> ring = new Ring<>(CAPACITY);
    private final Map<String, TelemetryRecord> byId = new ConcurrentHashMap<>();

    @Override
    public void accept(TelemetryRecord record) {
        TelemetryRecord dropped;
        synchronized (this) { // the ring and the index change together
            dropped = ring.add(record);
            if (dropped != null) {
                byId.remove(dropped.requestId(), dropped);
            }
            if (record.requestId() != null) {
                byId.put(record.requestId(), record);
            }
        }
    }

    public List<TelemetryRecord> newestFirst(int limit) {
        return ring.newestFirst(limit);
    }

    public Optional<TelemetryRecord> byId(String requestId) {
        return requestId == null ? Optional.empty() : Optional.ofNullable(byId.get(requestId));
    }
}
