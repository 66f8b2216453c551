package dev.levee.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LevelColorConverterTest {
    private static final String ESC = "\u001b[";

    @AfterEach
    void restoreColorDecision() {
        System.clearProperty(ConsoleColors.PROPERTY);
    }

    @Test
    void coloursDebugCyanInfoGreenWarnYellowErrorRed() {
        System.setProperty(ConsoleColors.PROPERTY, "true");
        PatternLayout layout = layout("%levelColor(%level %msg){}");
        assertThat(layout.doLayout(event(Level.DEBUG, "d"))).isEqualTo(ESC + "36mDEBUG d" + ESC + "0m");
        assertThat(layout.doLayout(event(Level.INFO, "i"))).isEqualTo(ESC + "32mINFO i" + ESC + "0m");
        assertThat(layout.doLayout(event(Level.WARN, "w"))).isEqualTo(ESC + "33mWARN w" + ESC + "0m");
        assertThat(layout.doLayout(event(Level.ERROR, "e"))).isEqualTo(ESC + "31mERROR e" + ESC + "0m");
        assertThat(layout.doLayout(event(Level.TRACE, "t"))).startsWith(ESC + "36m");
    }

    @Test
    void criticalMarkerIsRedOnWhiteAndNamedCritical() {
        System.setProperty(ConsoleColors.PROPERTY, "true");
        LoggingEvent critical = event(Level.ERROR, "disk full");
        critical.addMarker(LogMarkers.CRITICAL);
        assertThat(layout("%levelColor(%levelName %msg){}").doLayout(critical))
                .isEqualTo(ESC + "31;47mCRITICAL disk full" + ESC + "0m");
    }

    @Test
    void noEscapeCodesWhenColoursAreOff() {
        System.setProperty(ConsoleColors.PROPERTY, "false");
        PatternLayout layout = layout("%levelColor(%level %msg){}");
        for (Level level : new Level[] {Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR}) {
            assertThat(layout.doLayout(event(level, "plain"))).isEqualTo(level + " plain");
        }
    }

    @Test
    void noColourWhenNoColorIsSetOrThereIsNoTerminal() {
        assertThat(ConsoleColors.detect("1", null)).isFalse();
        assertThat(ConsoleColors.detect(null, null)).isFalse();
    }

    @Test
    void consolePatternShowsTimestampLevelRequestIdSourceAndMessage() {
        var console = (ch.qos.logback.core.encoder.LayoutWrappingEncoder<ch.qos.logback.classic.spi.ILoggingEvent>)
                ((ch.qos.logback.core.OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent>)
                        ConsoleLog.consoleAppender()).getEncoder();
        System.setProperty(ConsoleColors.PROPERTY, "false");
        LoggingEvent withId = event(Level.WARN, "Falling back", Map.of("request_id", "req-42"));
        assertThat(console.getLayout().doLayout(withId))
                .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[WARN ] \\[req-42] fallback - Falling back\\R");
        assertThat(console.getLayout().doLayout(event(Level.INFO, "started"))).contains("[INFO ] [system] fallback");
    }

    private static PatternLayout layout(String pattern) {
        PatternLayout layout = new PatternLayout();
        layout.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        layout.getInstanceConverterMap().put("levelColor", LevelColorConverter::new);
        layout.getInstanceConverterMap().put("levelName", LevelNameConverter::new);
        layout.setPattern(pattern);
        layout.start();
        return layout;
    }

    private static LoggingEvent event(Level level, String message) {
        return event(level, message, Map.of());
    }

    private static LoggingEvent event(Level level, String message, Map<String, String> mdc) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        LoggingEvent e = new LoggingEvent("test", context.getLogger("levee.fallback"), level, message, null, null);
        e.setMDCPropertyMap(mdc);
        return e;
    }
}
