package dev.levee.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Token counts: exact with the BPE up to a size, approximated beyond it so no prompt exhausts memory. */
class TokensTest {
    @Test
    void aNormalTextIsCountedExactly() {
        assertThat(Tokens.count("hello world")).isEqualTo(2);
    }

    @Test
    void aMegabytePromptIsCountedByLengthNotWithTheBpe() {
        String big = "word ".repeat(200_000); // 1 MB
        assertThat(Tokens.count(big)).isEqualTo((big.length() + 3) / 4);
    }
}
