package dev.levee.internal.observe.live;

import dev.levee.RaisedAlert;
import dev.levee.internal.observe.alert.Alert;
import dev.levee.internal.observe.alert.AlertSink;
import java.util.List;

/** The last alerts raised, newest first, for the console; beside the webhook, not instead of it. */
public final class RecentAlerts implements AlertSink {
    public static final int CAPACITY = 200;

    private final Ring<RaisedAlert> ring = new Ring<>(CAPACITY);

    @Override
    public void send(Alert a) {
        ring.add(new RaisedAlert(a.kind().wireName(), a.severity().wireName(), a.key(), a.title(), a.text(),
                a.fields(), a.firstSeen(), a.lastSeen(), a.count(), a.resolved()));
    }

    public List<RaisedAlert> newestFirst(int limit) {
        return ring.newestFirst(limit);
    }
}
