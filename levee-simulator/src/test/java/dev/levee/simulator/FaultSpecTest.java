package dev.levee.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FaultSpecTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "none", "status=503", "status=500,rate=0.3", "retry_after=2", "status=503,retry_after=5,times=2", "reset",
        "hang", "ttft=2000", "token_ms=20", "cut_after=5", "stall_after=3", "malformed_at=2", "error_after=4",
        "no_done", "context_length", "content_filter", "not_found", "unauthorized", "prefill_rejected",
        "answer_model=gpt-4o-mini", "cut_after=3,answer_model=other",
        "ttft=100,token_ms=5,cut_after=10,malformed_at=2,no_done,rate=0.5,times=3",
    })
    void canonicalSpecsRoundTripThroughToString(String spec) {
        FaultSpec parsed = FaultSpec.parse(spec);

        assertThat(parsed.toString()).isEqualTo(spec);
        assertThat(FaultSpec.parse(parsed.toString())).isEqualTo(parsed);
    }

    @Test
    void parsingToleratesCaseSpacesAndAnyItemOrder() {
        FaultSpec spec = FaultSpec.parse(" times=2 , STATUS = 429, rate=0.25 ,");

        assertThat(spec.status()).isEqualTo(429);
        assertThat(spec.rate()).isEqualTo(0.25);
        assertThat(spec.times()).isEqualTo(2);
        assertThat(spec.toString()).isEqualTo("status=429,rate=0.25,times=2");
    }

    @Test
    void itemsLandInTheirComponents() {
        FaultSpec spec = FaultSpec.parse("ttft=150,token_ms=7,cut_after=4");

        assertThat(spec.timeToFirstToken()).isEqualTo(Duration.ofMillis(150));
        assertThat(spec.perToken()).isEqualTo(Duration.ofMillis(7));
        assertThat(spec.cutAfter()).isEqualTo(4);
        assertThat(spec.status()).isNull();
        assertThat(spec.rate()).isEqualTo(1.0);
    }

    @Test
    void retryAfterAloneImpliesStatus429() {
        assertThat(FaultSpec.parse("retry_after=3").effectiveStatus()).isEqualTo(429);
        assertThat(FaultSpec.parse("status=503,retry_after=3").effectiveStatus()).isEqualTo(503);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "bogus=1                | 'bogus=1'",
        "status=200             | 'status=200'",
        "status=abc             | 'status=abc'",
        "status                 | 'status'",
        "rate=1.5               | 'rate=1.5'",
        "rate=often             | 'rate=often'",
        "reset=1                | 'reset=1'",
        "cut_after=-2           | 'cut_after=-2'",
        "times=0                | 'times=0'",
        "status=500,status=503  | 'status=503'",
        "reset,hang             | 'reset' and 'hang'",
        "status=503,cut_after=2 | 'status'",
        "not_found,unauthorized | 'not_found' and 'unauthorized'",
        "hang,no_done           | 'hang'",
    })
    void badSpecsAreRejectedNamingTheItem(String spec, String named) {
        assertThatThrownBy(() -> FaultSpec.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(named);
    }

    @Test
    void emptySpecIsRejected() {
        assertThatThrownBy(() -> FaultSpec.parse("  ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }
}
