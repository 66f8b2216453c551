package dev.levee.internal.routing;

/**
 * The seam where an instructed continuation joins the partial answer. A model told to go on where
 * the text stopped often starts by repeating its last words; the start of the continuation is held
 * until it is long enough to compare with the partial's tail, and the repeated words are cut.
 */
final class Splice {
    /** A repeat must be at least this long and start at a word: a lone letter ("a", "I") may be chance. */
    static final int MIN_OVERLAP = 2;
    private static final int MAX_TAIL = 200;

    private final String tail;
    private final StringBuilder held = new StringBuilder();
    private boolean joined;

    Splice(String partial) {
        this.tail = partial.length() > MAX_TAIL ? partial.substring(partial.length() - MAX_TAIL) : partial;
    }

    boolean joined() {
        return joined;
    }

    /** Text to pass on now ({@code ""} while the start is still held), the repeat removed. */
    String offer(String text) {
        if (joined) {
            return text;
        }
        held.append(text);
        return held.length() < tail.length() ? "" : join();
    }

    /** Whatever is held, when the continuation ends (or carries more than text) before enough came. */
    String flush() {
        return joined ? "" : join();
    }

    private String join() {
        joined = true;
        String start = held.toString();
        held.setLength(0);
        return start.substring(overlap(tail, start));
    }

    /** The longest start of {@code next} that is also a word-aligned end of {@code tail}, or 0. */
    static int overlap(String tail, String next) {
        for (int k = Math.min(tail.length(), next.length()); k >= MIN_OVERLAP; k--) {
            int at = tail.length() - k;
            boolean wordStart = at == 0 || Character.isWhitespace(tail.charAt(at - 1))
                    || Character.isWhitespace(next.charAt(0));
            if (wordStart && tail.regionMatches(at, next, 0, k)) {
                return k;
            }
        }
        return 0;
    }
}
