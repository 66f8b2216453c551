package dev.levee.config;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Replaces {@code ${VAR}} and {@code ${VAR:-default}}; {@code $${} is a literal {@code ${}. */
final class Interpolator {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final Function<String, String> lookup;

    Interpolator(Function<String, String> lookup) {
        this.lookup = lookup;
    }

    /**
     * @throws IllegalArgumentException naming the variable when it is unset and has no default
     */
    String interpolate(String text) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$${")) {
                replacement = "${";
            } else {
                String value = lookup.apply(m.group(1));
                if (value == null || value.isEmpty()) {
                    if (m.group(2) == null) {
                        if (value == null) {
                            throw new IllegalArgumentException("environment variable " + m.group(1)
                                    + " is not set (write ${" + m.group(1) + ":-} to allow it to be empty)");
                        }
                        value = "";
                    } else {
                        value = m.group(2);
                    }
                }
                replacement = value;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
