package dev.levee.cli.logging;

import java.io.Console;
import java.lang.reflect.Method;

/**
 * Whether the console is coloured: one decision shared by the log lines and the command line's
 * own output. Off when {@code NO_COLOR} is set (no-color.org), when the output is not a terminal,
 * or when the system property {@value #PROPERTY} says {@code false} ({@code --no-color} sets it);
 * the property, when set, wins.
 */
public final class ConsoleColors {
    /** {@code true} or {@code false}; when absent, colours follow the environment. */
    public static final String PROPERTY = "levee.color";

    static final String RESET = "\u001b[0m";

    private static final boolean DETECTED = detect(System.getenv("NO_COLOR"), System.console());

    private ConsoleColors() {
    }

    public static boolean enabled() {
        String forced = System.getProperty(PROPERTY);
        return forced != null ? Boolean.parseBoolean(forced.trim()) : DETECTED;
    }

    public static void disable() {
        System.setProperty(PROPERTY, "false");
    }

    /** {@code text} in the given SGR colour (e.g. {@code "1;36"}), or plain when colours are off. */
    public static String paint(String sgr, String text) {
        return enabled() ? "\u001b[" + sgr + "m" + text + RESET : text;
    }

    static boolean detect(String noColor, Console console) {
        if (noColor != null && !noColor.isEmpty()) {
            return false;
        }
        return console != null && isTerminal(console);
    }

    /**
     * JDK 22+ may hand out a console for redirected streams and answers {@code isTerminal()};
     * before that, a console exists only on a terminal. Compiled for 17, so asked reflectively.
     */
    private static boolean isTerminal(Console console) {
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
