package dev.levee.internal.observe.anomaly;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refusal and disclaimer boilerplate. At the start of an answer it usually is the whole answer; later
 * on it may be a quotation, so it counts for less there.
 */
final class Refusals {
    static final double AT_START = 0.85;
    static final double LATER = 0.5;
    private static final int START_CHARS = 400;
    private static final int MAX_CHARS = 4000;

    /** "I can't", "I am unable to", "we won't", "I'm not able to", "I must decline to"... */
    private static final String I_CANNOT = "(?:(?:i|we) (?:really |simply )?(?:can'?t|cannot|can not|won'?t|will not|"
            + "must (?:respectfully )?decline to)|(?:i'?m|i am|we'?re|we are) (?:not able|unable|not allowed|"
            + "not permitted) to|(?:i|we) (?:won'?t|will not) be able to)";
    private static final String HELP = "(?:help|assist|comply|provide|fulfil+|answer|respond|do that|share|"
            + "discuss|engage|generate|create|write|give)";
    private static final Pattern PATTERN = Pattern.compile(String.join("|",
            "\\b(?:i'?m|i am) (?:so |really |very |truly )?sorry,? (?:but )?" + I_CANNOT,
            "\\bi (?:sincerely )?apologi[sz]e,? (?:but )?" + I_CANNOT,
            "\\bsorry,? (?:but )?" + I_CANNOT,
            "\\bunfortunately,? " + I_CANNOT + " " + HELP,
            "\\b" + I_CANNOT + " " + HELP + " (?:you )?(?:with )?(?:that|this|your)\\b",
            "\\bas an? (?:ai|artificial intelligence)(?: (?:language model|model|assistant|chatbot|system))?,? i\\b",
            "\\bas an? (?:ai )?(?:large )?language model\\b",
            "\\b(?:goes|is) against my (?:guidelines|policies|programming|principles)",
            "\\bi must (?:respectfully )?decline\\b"));

    /**
     * Every pattern contains one of these within a few words of its start. Finding them is a fast
     * {@code indexOf}; the pattern then runs only around them (the alternation is slow per character).
     */
    private static final String[] ANCHORS = {"sorry", "apologi", "unfortunately", "can't", "cant", "cannot",
        "can not", "won't", "wont", "will not", "unable", "not able", "not allowed", "not permitted", "decline",
        "as an ai", "as a ai", "artificial intelligence", "language model", "against my"};
    private static final int LOOK_BEHIND = 40;
    private static final int LOOK_AHEAD = 120;
    private static final int MAX_REGIONS = 12;

    private Refusals() {
    }

    static void check(String text, Findings findings) {
        String t = normalise(text, MAX_CHARS);
        int first = Integer.MAX_VALUE;
        int regions = 0;
        Matcher m = null;
        for (String anchor : ANCHORS) {
            for (int p = t.indexOf(anchor); p >= 0 && regions < MAX_REGIONS; p = t.indexOf(anchor, p + 1)) {
                if (p - LOOK_BEHIND >= first) {
                    break;
                }
                regions++;
                m = m == null ? PATTERN.matcher(t) : m;
                m.useTransparentBounds(true).region(Math.max(0, p - LOOK_BEHIND), Math.min(t.length(), p + LOOK_AHEAD));
                if (m.find()) {
                    first = Math.min(first, m.start());
                    break;
                }
            }
            if (first < START_CHARS) {
                break;
            }
        }
        if (first == Integer.MAX_VALUE) {
            return;
        }
        if (first < START_CHARS) {
            findings.content(AT_START, "refusal boilerplate");
        } else {
            findings.content(LATER, "refusal boilerplate later in the answer");
        }
    }

    /** Lower case, typographic apostrophes made plain, runs of whitespace made one space. */
    private static String normalise(String text, int max) {
        int end = Math.min(text.length(), max);
        char[] out = new char[end];
        int n = 0;
        boolean space = false;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\u2019' || c == '\u2018' || c == '`') {
                c = '\'';
            }
            if (Chars.isWhitespace(c)) {
                if (!space) {
                    out[n++] = ' ';
                }
                space = true;
            } else {
                out[n++] = Chars.toLowerCase(c);
                space = false;
            }
        }
        return new String(out, 0, n);
    }
}
