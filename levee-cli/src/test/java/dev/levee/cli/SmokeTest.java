package dev.levee.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.CallOptions;
import dev.levee.ChatResponse;
import dev.levee.Levee;

import org.junit.jupiter.api.Test;

/** The library's embedded default on the simulator the command line brings, found on the class path. */
class SmokeTest {
    @Test
    void embeddedDefaultAnswersFromThePrimaryTier() {
        try (Levee levee = Levee.create()) {
            ChatResponse r = levee.process("Explain circuit breakers");
            assertThat(r.modelUsed()).isEqualTo("gemma3:4b");
            assertThat(r.fallbackLevel()).isZero();
            assertThat(r.text()).isNotBlank();
            assertThat(r.usage().totalTokens()).isPositive();

            ChatResponse f = levee.process("What is the capital of France?",
                    CallOptions.builder().forcePrimaryFailure(true).build());
            assertThat(f.modelUsed()).isEqualTo("gemma3:1b");
            assertThat(f.fallbackLevel()).isEqualTo(1);

            ChatResponse rb = levee.process("hello there", CallOptions.builder().forceAllModelsFail(true).build());
            assertThat(rb.modelUsed()).isEqualTo(ChatResponse.RULE_BASED);
            assertThat(rb.text()).contains("fallback mode");
        }
    }
}
