package dev.levee.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * SLF4J has no CRITICAL level; an ERROR with this marker is one. Matched by name among the
 * event's markers (SLF4J 2 lets an event carry several, and deprecates marker references), so any
 * code can use {@code MarkerFactory.getMarker("CRITICAL")} without depending on the gateway.
 */
public final class LogMarkers {
    public static final String CRITICAL_NAME = "CRITICAL";
    public static final Marker CRITICAL = MarkerFactory.getMarker(CRITICAL_NAME);

    private LogMarkers() {
    }

    static boolean isCritical(ILoggingEvent event) {
        if (event.getLevel().toInt() < Level.ERROR_INT) {
            return false;
        }
        List<Marker> markers = event.getMarkerList();
        if (markers == null) {
            return false;
        }
        for (Marker m : markers) {
            if (CRITICAL_NAME.equals(m.getName())) {
                return true;
            }
        }
        return false;
    }
}
