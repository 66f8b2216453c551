package dev.levee.internal.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.Message;
import dev.levee.Usage;
import dev.levee.simulator.Tokens;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {

    @Test
    void countsWithCl100kAsTheSimulatorDoes() {
        TokenEstimator.preload(); // returns at once; count() below waits for the table if it must
        assertThat(TokenEstimator.count("hello world")).isEqualTo(2);
        String text = "Circuit breakers open after repeated failures, then probe the provider again.";
        assertThat(TokenEstimator.count(text)).isEqualTo(Tokens.count(text)).isGreaterThan(10);
        assertThat(TokenEstimator.count("")).isZero();
        assertThat(TokenEstimator.count(null)).isZero();
    }

    @Test
    void approximatesVeryLongTextsAtFourCharactersAToken() {
        String huge = "a".repeat(TokenEstimator.MAX_EXACT_CHARS + 4);
        assertThat(TokenEstimator.count(huge)).isEqualTo((huge.length() + 3) / 4);
    }

    @Test
    void estimatesChatFramingAndFlagsTheUsageAsEstimated() {
        Usage usage = TokenEstimator.estimate(List.of(Message.user("hello world")), "hello world");
        assertThat(usage.promptTokens()).isEqualTo(3 + 3 + 2);
        assertThat(usage.completionTokens()).isEqualTo(2);
        assertThat(usage.totalTokens()).isEqualTo(10);
        assertThat(usage.estimated()).isTrue();
    }
}
