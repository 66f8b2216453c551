package dev.levee.internal.observe.anomaly;

import dev.levee.internal.text.PromptSanitizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Secrets and personal data in an answer, found with the same rules that keep them out of the
 * logs ({@link PromptSanitizer}). The reason names the kinds, never the values.
 *
 * <p>The sanitizer's regexes cost about a third of a microsecond per character, too much for every
 * answer on an event loop. So a single pass first finds the places where one of its rules could
 * match at all (an {@code @}, nine or more digits in a row, a {@code key=}/{@code token:}, a known key
 * prefix, {@code bearer}); only small windows around those are sanitized. The pass is a superset of
 * the rules: it never skips a match, it only spares the regexes the text that cannot match.
 */
final class SensitiveData {
    static final double SCORE = 0.85;
    private static final int MAX_WINDOWS = 4;
    private static final int BEFORE = 80;
    private static final int AFTER = 200;
    private static final int MIN_DIGITS = 9;
    private static final String[] CREDENTIAL_WORDS = {"key", "token", "secret", "password", "passwd", "pwd"};
    private static final String[] KEY_PREFIXES = {"sk-", "pk-", "rk-", "AKIA", "ASIA", "gh", "xox", "eyJ"};

    /** The first characters of {@link #KEY_PREFIXES} and of "bearer" (any case). */
    private static final boolean[] FIRST_CHARS = new boolean[128];

    static {
        for (String prefix : KEY_PREFIXES) {
            FIRST_CHARS[prefix.charAt(0)] = true;
        }
        FIRST_CHARS['b'] = true;
        FIRST_CHARS['B'] = true;
    }

    private static final String[][] MARKERS = {
        {"[API_KEY]", "api key"},
        {"[TOKEN]", "access token"},
        {"[REDACTED]", "credential"},
        {"[CARD]", "card number"},
        {"[SSN]", "social security number"},
        {"[EMAIL]", "email address"},
        {"[PHONE]", "phone number"},
    };

    private SensitiveData() {
    }

    static void check(String text, Findings findings) {
        List<String> kinds = null;
        int windowEnd = -1;
        int windows = 0;
        int digits = 0;
        int separators = 0;
        for (int i = 0; i < text.length() && windows < MAX_WINDOWS; i++) {
            char c = text.charAt(i);
            boolean candidate;
            if (c >= '0' && c <= '9') {
                digits++;
                separators = 0;
                candidate = digits >= MIN_DIGITS;
            } else {
                if (isSeparator(c) && ++separators <= 2) {
                    candidate = false;
                } else {
                    digits = 0;
                    separators = 0;
                    candidate = c == '@' || ((c == ':' || c == '=') && afterCredentialWord(text, i))
                            || (mayStartKey(c) && wordStart(text, i) && startsKeyOrBearer(text, i));
                }
            }
            if (candidate && i > windowEnd) {
                int from = boundaryBefore(text, Math.max(0, i - BEFORE));
                windowEnd = boundaryAfter(text, Math.min(text.length(), i + AFTER));
                kinds = inspect(text.substring(from, windowEnd), kinds);
                windows++;
            }
        }
        if (kinds != null) {
            findings.content(SCORE, "sensitive data in the answer" + (kinds.isEmpty() ? "" : ": "
                    + String.join(", ", kinds)));
        }
    }

    /** The kinds the sanitizer masks in this window, added to {@code kinds}; still null if it masks nothing. */
    private static List<String> inspect(String window, List<String> kinds) {
        String masked = PromptSanitizer.sanitize(window);
        if (masked.equals(window)) {
            return kinds;
        }
        List<String> out = kinds == null ? new ArrayList<>(2) : kinds;
        for (String[] marker : MARKERS) {
            if (count(masked, marker[0]) > count(window, marker[0]) && !out.contains(marker[1])) {
                out.add(marker[1]);
            }
        }
        return out;
    }

    /** Whether {@code key}, {@code token}, {@code password}... (any case) ends just before, maybe after spaces. */
    private static boolean afterCredentialWord(String text, int at) {
        int end = at;
        while (end > 0 && Chars.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        for (String word : CREDENTIAL_WORDS) {
            int start = end - word.length();
            if (start >= 0 && text.regionMatches(true, start, word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }

    /** Whether a key prefix or "bearer" starts with {@code c}; false for most letters, so it goes first. */
    private static boolean mayStartKey(char c) {
        return c < FIRST_CHARS.length && FIRST_CHARS[c];
    }

    private static boolean startsKeyOrBearer(String text, int at) {
        for (String prefix : KEY_PREFIXES) {
            if (text.startsWith(prefix, at)) {
                return true;
            }
        }
        return text.regionMatches(true, at, "bearer", 0, 6);
    }

    /** What may stand between the digits of one number: {@code 555-123 4567}, {@code (555) 123.4567}, {@code +1}. */
    private static boolean isSeparator(char c) {
        return c == ' ' || c == '.' || c == '-' || c == '(' || c == ')' || c == '+';
    }

    private static boolean wordStart(String text, int at) {
        return Chars.isLetter(text.charAt(at)) && (at == 0 || !Chars.isLetterOrDigit(text.charAt(at - 1)));
    }

    /** Back to whitespace, so a window never starts inside an address or a key. */
    private static int boundaryBefore(String text, int from) {
        int i = from;
        while (i > 0 && i > from - 120 && !Chars.isWhitespace(text.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    private static int boundaryAfter(String text, int to) {
        int i = to;
        while (i < text.length() && i < to + 200 && !Chars.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int count(String text, String marker) {
        int n = 0;
        for (int i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, i + marker.length())) {
            n++;
        }
        return n;
    }
}
