package dev.levee.internal.observe.anomaly;

/**
 * Text as a sequence of word hashes: letters and digits, case-folded; everything else separates.
 * No strings are created, so the content checks stay cheap on long answers. A word with a letter
 * has an odd hash, a number an even one ({@link #hasLetter}).
 */
final class Words {
    private Words() {
    }

    /** Hashes of the first {@code max} words of {@code text}, in an array of their own. */
    static long[] hashes(String text, int max) {
        int bound = Math.min(max, text.length() / 2 + 1);
        long[] out = Scratch.words(bound); // gathered in the thread's scratch, then copied at their count
        int n = 0;
        long h = 0;
        boolean inWord = false;
        boolean letter = false;
        for (int i = 0; i < text.length() && n < bound; i++) {
            char c = text.charAt(i);
            if (Chars.isLetterOrDigit(c)) {
                h = (h ^ Chars.toLowerCase(c)) * 0x100000001b3L;
                inWord = true;
                letter |= Chars.isLetter(c);
            } else if (inWord) {
                out[n++] = word(h, letter);
                h = 0;
                inWord = false;
                letter = false;
            }
        }
        if (inWord && n < bound) {
            out[n++] = word(h, letter);
        }
        return java.util.Arrays.copyOf(out, n);
    }

    static boolean hasLetter(long word) {
        return (word & 1) != 0;
    }

    private static long word(long h, boolean letter) {
        long w = finish(h);
        return letter ? w | 1 : w & ~1L;
    }

    /** A hash of {@code k} words starting at {@code from}. */
    static long shingle(long[] words, int from, int k) {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = from; i < from + k; i++) {
            h = finish(h * 31 + words[i]);
        }
        return h;
    }

    /** splitmix64's finaliser: spreads the bits so an open-addressing table stays evenly filled. */
    private static long finish(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
