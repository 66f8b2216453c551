package dev.levee.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.CompositeConverter;

/**
 * Colours its sub-pattern by level, in the console's colours: DEBUG cyan, INFO green, WARN yellow,
 * ERROR red, CRITICAL (an ERROR with the {@link LogMarkers#CRITICAL} marker) red on white.
 * logback's own {@code %highlight} uses other colours. Plain text when {@link ConsoleColors} are off.
 *
 * <pre>{@code <conversionRule conversionWord="levelColor" class="dev.levee.cli.logging.LevelColorConverter"/>
 * <pattern>%levelColor(%d %-5level %msg)%n</pattern>}</pre>
 */
public final class LevelColorConverter extends CompositeConverter<ILoggingEvent> {
    static final String CYAN = "36";
    static final String GREEN = "32";
    static final String YELLOW = "33";
    static final String RED = "31";
    static final String RED_ON_WHITE = "31;47";

    @Override
    protected String transform(ILoggingEvent event, String in) {
        if (!ConsoleColors.enabled()) {
            return in;
        }
        return "\u001b[" + sgr(event) + "m" + in + ConsoleColors.RESET;
    }

    static String sgr(ILoggingEvent event) {
        if (LogMarkers.isCritical(event)) {
            return RED_ON_WHITE;
        }
        return switch (event.getLevel().toInt()) {
            case Level.ERROR_INT -> RED;
            case Level.WARN_INT -> YELLOW;
            case Level.INFO_INT -> GREEN;
            default -> CYAN;
        };
    }
}
