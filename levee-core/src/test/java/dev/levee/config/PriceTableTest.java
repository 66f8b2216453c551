package dev.levee.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PriceTableTest {
    @Test
    void pricesAreExactNanoDollars() {
        Price p = Price.perMillion("0.15", "0.60");
        assertThat(p.inputNanosPerToken()).isEqualTo(150);
        assertThat(p.costNanos(1_000_000, 0)).isEqualTo(150_000_000L); // $0.15
        assertThat(PriceTable.usd(p.costNanos(7, 3))).isEqualByComparingTo("0.000002850");
    }

    @Test
    void aDatedSnapshotFindsItsFamilyByLongestPrefix() {
        PriceTable t = PriceTable.defaults();
        assertThat(t.priceOf("gpt-4o-mini-2024-07-18", false)).isEqualTo(Price.perMillion("0.15", "0.60"));
        assertThat(t.priceOf("gpt-4o-2024-08-06", false)).isEqualTo(Price.perMillion("2.50", "10.00"));
        assertThat(t.priceOf("claude-sonnet-4-5-20250929", false)).isEqualTo(Price.perMillion("3.00", "15.00"));
        assertThat(t.priceOf("mystery-model", false)).isEqualTo(Price.FREE);
    }

    @Test
    void localModelsAreFreeUnlessPricedByName() {
        PriceTable t = PriceTable.withOverrides(Map.of("gemma3:4b", Price.perMillion("0.01", "0.02")));
        assertThat(t.priceOf("gpt-4o", true)).isEqualTo(Price.perMillion("2.50", "10.00")); // exact name wins
        assertThat(t.priceOf("gpt-4o-local-finetune", true)).isEqualTo(Price.FREE);
        assertThat(t.priceOf("gemma3:4b", true)).isEqualTo(Price.perMillion("0.01", "0.02"));
    }

    @Test
    void overridesWinAndBadPricesAreRefused() {
        PriceTable t = PriceTable.withOverrides(Map.of("gpt-4o", Price.perMillion("1", "2")));
        assertThat(t.priceOf("gpt-4o", false).outputNanosPerToken()).isEqualTo(2000);
        assertThatThrownBy(() -> Price.perMillion("0.0001", "1")).hasMessageContaining("precision");
        assertThatThrownBy(() -> Price.perMillion("-1", "1")).hasMessageContaining(">= 0");
    }
}
