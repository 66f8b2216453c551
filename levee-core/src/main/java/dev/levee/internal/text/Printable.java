package dev.levee.internal.text;

/**
 * A string from a client made fit to echo in a message or a log line: control characters (which
 * would forge log lines) and anything outside printable ASCII replaced, the length capped.
 */
public final class Printable {
    private Printable() {
    }

    public static String of(String s, int max) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), max) + 3);
        for (int i = 0; i < s.length() && out.length() < max; i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (s.length() > max) {
            out.append("...");
        }
        return out.toString();
    }
}
