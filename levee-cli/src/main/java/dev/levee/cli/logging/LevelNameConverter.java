package dev.levee.cli.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** The level's name, and {@code CRITICAL} for an ERROR carrying the {@link LogMarkers#CRITICAL} marker. */
public final class LevelNameConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return LogMarkers.isCritical(event) ? LogMarkers.CRITICAL_NAME : event.getLevel().toString();
    }
}
