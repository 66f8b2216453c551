package dev.levee.internal.observe.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The ASCII table answers exactly as {@link Character} does, for every char. */
class CharsTest {
    @Test
    void agreesWithCharacterOnEveryChar() {
        for (int i = Character.MIN_VALUE; i <= Character.MAX_VALUE; i++) {
            char c = (char) i;
            assertThat(Chars.isLetter(c)).as("isLetter U+%04X", i).isEqualTo(Character.isLetter(c));
            assertThat(Chars.isLetterOrDigit(c)).as("isLetterOrDigit U+%04X", i).isEqualTo(Character.isLetterOrDigit(c));
            assertThat(Chars.isWhitespace(c)).as("isWhitespace U+%04X", i).isEqualTo(Character.isWhitespace(c));
            assertThat(Chars.toLowerCase(c)).as("toLowerCase U+%04X", i).isEqualTo(Character.toLowerCase(c));
        }
    }
}
