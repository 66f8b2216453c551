package dev.levee.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A YAML node that knows its path, so every binding error names the file, the key and the problem.
 * Strings are interpolated as they are read, so an unset variable is reported at its key.
 */
final class ConfigNode {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

    private final String source;
    private final String path;
    private final JsonNode node;
    private final Interpolator interpolator;

    ConfigNode(String source, String path, JsonNode node, Interpolator interpolator) {
        this.source = source;
        this.path = path;
        this.node = node == null ? MissingNode.getInstance() : node;
        this.interpolator = interpolator;
    }

    ConfigException error(String problem) {
        return new ConfigException(source + ": " + (path.isEmpty() ? "(top level)" : path) + ": " + problem);
    }

    boolean isMissing() {
        return node.isMissingNode() || node.isNull();
    }

    String path() {
        return path;
    }

    ConfigNode get(String key) {
        if (!isMissing() && !node.isObject()) {
            throw error("expected a mapping, found " + describe(node));
        }
        return new ConfigNode(source, path.isEmpty() ? key : path + "." + key, node.get(key), interpolator);
    }

    /** Rejects keys outside {@code allowed}: a typo must not silently become a default. */
    ConfigNode allowOnly(String... allowed) {
        if (isMissing()) {
            return this;
        }
        if (!node.isObject()) {
            throw error("expected a mapping, found " + describe(node));
        }
        Set<String> known = Set.of(allowed);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw get(key).error("unknown key (expected one of: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
        return this;
    }

    Map<String, ConfigNode> entries() {
        Map<String, ConfigNode> out = new LinkedHashMap<>();
        if (isMissing()) {
            return out;
        }
        if (!node.isObject()) {
            throw error("expected a mapping, found " + describe(node));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            out.put(key, get(key));
        }
        return out;
    }

    List<ConfigNode> elements() {
        List<ConfigNode> out = new ArrayList<>();
        if (isMissing()) {
            return out;
        }
        if (!node.isArray()) {
            throw error("expected a list, found " + describe(node));
        }
        for (int i = 0; i < node.size(); i++) {
            out.add(new ConfigNode(source, path + "[" + i + "]", node.get(i), interpolator));
        }
        return out;
    }

    String string(String defaultValue) {
        if (isMissing()) {
            return defaultValue;
        }
        if (!node.isValueNode()) {
            throw error("expected a string, found " + describe(node));
        }
        try {
            return interpolator.interpolate(node.asText());
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    String requiredString() {
        String s = string(null);
        if (s == null || s.isBlank()) {
            throw error("is required");
        }
        return s;
    }

    int integer(int defaultValue) {
        return (int) number(defaultValue, true);
    }

    double decimal(double defaultValue) {
        return number(defaultValue, false);
    }

    Integer optionalInteger() {
        return isMissing() ? null : integer(0);
    }

    Double optionalDecimal() {
        return isMissing() ? null : decimal(0);
    }

    private double number(double defaultValue, boolean whole) {
        String text = string(null);
        if (text == null) {
            return defaultValue;
        }
        try {
            if (whole) {
                return Integer.parseInt(text.trim());
            }
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw error("expected " + (whole ? "a whole number" : "a number") + ", found '" + text + "'");
        }
    }

    boolean bool(boolean defaultValue) {
        String text = string(null);
        if (text == null) {
            return defaultValue;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error("expected true or false, found '" + text + "'");
        };
    }

    Duration duration(Duration defaultValue) {
        String text = string(null);
        if (text == null) {
            return defaultValue;
        }
        Matcher m = DURATION.matcher(text.trim());
        if (text.trim().equals("0")) {
            return Duration.ZERO;
        }
        if (!m.matches()) {
            throw error("expected a duration such as 200ms, 30s, 5m or 1h, found '" + text + "'");
        }
        double amount = Double.parseDouble(m.group(1));
        double millis = switch (m.group(2)) {
            case "ms" -> amount;
            case "s" -> amount * 1_000;
            case "m" -> amount * 60_000;
            default -> amount * 3_600_000;
        };
        return Duration.ofNanos(Math.round(millis * 1_000_000));
    }

    <E extends Enum<E>> E enumValue(Class<E> type, E defaultValue) {
        String text = string(null);
        if (text == null) {
            return defaultValue;
        }
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (E c : type.getEnumConstants()) {
                names.add(c.name().toLowerCase(Locale.ROOT));
            }
            throw error("expected one of " + String.join(" | ", names) + ", found '" + text + "'");
        }
    }

    /** Runs a record constructor, turning its validation message into an error at this key. */
    <T> T build(Function<ConfigNode, T> constructor) {
        try {
            return constructor.apply(this);
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw error(e.getMessage());
        }
    }

    private static String describe(JsonNode n) {
        if (n.isObject()) {
            return "a mapping";
        }
        if (n.isArray()) {
            return "a list";
        }
        return "'" + n.asText() + "'";
    }
}
