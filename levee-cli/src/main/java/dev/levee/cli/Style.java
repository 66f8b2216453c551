package dev.levee.cli;

import dev.levee.cli.logging.ConsoleColors;

/** The command line's own colours; plain when {@link ConsoleColors} are off. */
final class Style {
    private Style() {
    }

    static String heading(String text) {
        return ConsoleColors.paint("1;36", text);
    }

    static String title(String text) {
        return ConsoleColors.paint("1;35", text);
    }

    static String answer(String text) {
        return ConsoleColors.paint("1", text);
    }

    static String ok(String text) {
        return ConsoleColors.paint("32", text);
    }

    static String warn(String text) {
        return ConsoleColors.paint("33", text);
    }

    static String error(String text) {
        return ConsoleColors.paint("31", text);
    }

    static String dim(String text) {
        return ConsoleColors.paint("2", text);
    }

    /** A breaker state in the colour of its meaning. */
    static String state(String state) {
        return switch (state) {
            case "CLOSED" -> ok(state);
            case "HALF_OPEN" -> warn(state);
            default -> error(state);
        };
    }
}
