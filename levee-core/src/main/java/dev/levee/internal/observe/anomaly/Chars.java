package dev.levee.internal.observe.anomaly;

/**
 * {@link Character}'s letter, digit, whitespace and lower-case answers, from a table for ASCII.
 *
 * <p>The content checks walk every character of every answer, several times; most answers are mostly
 * ASCII. For those characters one array load answers what {@code Character} answers through its
 * per-plane property tables; the rest still go to {@code Character}, so every answer is the same.
 */
final class Chars {
    private static final byte LETTER = 1;
    private static final byte DIGIT = 2;
    private static final byte SPACE = 4;
    private static final byte[] ASCII = new byte[128];

    static {
        for (char c = 0; c < 128; c++) {
            ASCII[c] = (byte) ((Character.isLetter(c) ? LETTER : 0) | (Character.isDigit(c) ? DIGIT : 0)
                    | (Character.isWhitespace(c) ? SPACE : 0));
        }
    }

    private Chars() {
    }

    static boolean isLetter(char c) {
        return c < 128 ? (ASCII[c] & LETTER) != 0 : Character.isLetter(c);
    }

    static boolean isLetterOrDigit(char c) {
        return c < 128 ? (ASCII[c] & (LETTER | DIGIT)) != 0 : Character.isLetterOrDigit(c);
    }

    static boolean isWhitespace(char c) {
        return c < 128 ? (ASCII[c] & SPACE) != 0 : Character.isWhitespace(c);
    }

    static char toLowerCase(char c) {
        if (c < 128) {
            return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
        }
        return Character.toLowerCase(c);
    }
}
