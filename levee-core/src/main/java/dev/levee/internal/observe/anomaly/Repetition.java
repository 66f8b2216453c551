package dev.levee.internal.observe.anomaly;

/**
 * Degenerate, looping output: the same 4-word sequences over and over (over the whole answer or
 * its second half, where loops usually start), one word stuttered, or one letter held. Numbers are
 * left out: a matrix or a table of zeros repeats by nature.
 */
final class Repetition {
    static final int MAX_WORDS = 4000;
    private static final int N = 4;
    private static final int MIN_WORDS = 12;
    /** Shares of repeated 4-grams: ordinary prose stays well below the first, loops above the second. */
    private static final double SHARE_START = 0.15;
    private static final double SHARE_FULL = 0.35;
    private static final int STUTTER_RUN = 6;
    private static final int CHAR_RUN = 16;

    private Repetition() {
    }

    static void check(String text, long[] words, Findings findings) {
        int run = longestWordRun(words);
        if (run >= STUTTER_RUN) {
            findings.content(1, "repetition loop (one word " + run + " times in a row)");
            return;
        }
        int chars = longestCharRun(text);
        if (chars >= CHAR_RUN) {
            findings.content(1, "repetition loop (one character " + chars + " times in a row)");
            return;
        }
        if (words.length < MIN_WORDS) {
            return;
        }
        double share = repeatedShare(words);
        double s = Math.min(1, Math.max(0, (share - SHARE_START) / (SHARE_FULL - SHARE_START)));
        if (s > 0) {
            findings.content(s, "repetition loop (" + Math.round(share * 100) + "% repeated 4-word sequences)");
        }
    }

    /** The larger of: the share of repeated 4-grams overall, and in the second half of the answer. */
    private static double repeatedShare(long[] words) {
        int grams = words.length - N + 1;
        LongSet seen = Scratch.firstSet(grams);
        int half = grams / 2;
        int counted = 0;
        int countedLate = 0;
        int repeated = 0;
        int repeatedLate = 0;
        for (int i = 0; i < grams; i++) {
            if (numbersOnly(words, i)) {
                continue;
            }
            boolean late = i >= half;
            counted++;
            countedLate += late ? 1 : 0;
            if (!seen.add(Words.shingle(words, i, N))) {
                repeated++;
                repeatedLate += late ? 1 : 0;
            }
        }
        if (counted < MIN_WORDS - N + 1) {
            return 0;
        }
        return Math.max((double) repeated / counted, countedLate == 0 ? 0 : (double) repeatedLate / countedLate);
    }

    private static boolean numbersOnly(long[] words, int from) {
        for (int i = from; i < from + N; i++) {
            if (Words.hasLetter(words[i])) {
                return false;
            }
        }
        return true;
    }

    private static int longestWordRun(long[] words) {
        int best = 0;
        int run = 0;
        for (int i = 0; i < words.length; i++) {
            run = Words.hasLetter(words[i]) && i > 0 && words[i] == words[i - 1] ? run + 1 : 1;
            best = Math.max(best, run);
        }
        return best;
    }

    /** Only letters: rules of dashes or equals signs are layout, long numbers are data. */
    private static int longestCharRun(String text) {
        int best = 0;
        int run = 0;
        char prev = 0;
        int end = Math.min(text.length(), MAX_WORDS * 8);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            run = c == prev && Chars.isLetter(c) ? run + 1 : 1;
            prev = c;
            best = Math.max(best, run);
        }
        return best;
    }
}
