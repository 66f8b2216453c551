package dev.levee.internal.observe.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10) // a set that was not emptied fills up, and a probe of a full table never ends
class LongSetTest {

    @Test
    void holdsWhatWasAddedAndZeroToo() {
        LongSet set = new LongSet(8);
        assertThat(set.add(7)).isTrue();
        assertThat(set.add(7)).isFalse();
        assertThat(set.add(0)).isTrue();
        assertThat(set.add(0)).isFalse();
        assertThat(set.contains(7)).isTrue();
        assertThat(set.contains(0)).isTrue();
        assertThat(set.contains(8)).isFalse();
    }

    @Test
    void aClearedSetIsEmptyWhetherItShrankOrGrew() {
        LongSet set = new LongSet(1000);
        for (long v = 0; v < 1000; v++) {
            set.add(v * 0x9E3779B97F4A7C15L);
        }
        set.clear(10); // a smaller set in the start of the same table
        for (long v = 0; v < 1000; v++) {
            assertThat(set.contains(v * 0x9E3779B97F4A7C15L)).as("value %d", v).isFalse();
        }
        for (long v = 0; v < 10; v++) {
            assertThat(set.add(v + 1)).isTrue();
        }
        set.clear(5000); // a larger one than the table holds
        assertThat(set.contains(1)).isFalse();
        for (long v = 1; v <= 5000; v++) {
            assertThat(set.add(v)).isTrue();
        }
        assertThat(set.contains(5000)).isTrue();
    }

    @Test
    void wordHashesAreTheCallersOwnThoughGatheredInTheThreadsScratch() {
        long[] first = Words.hashes("one two three", 100);
        long[] copy = first.clone();
        Words.hashes("four five six seven eight", 100);
        assertThat(first).hasSize(3).containsExactly(copy);
    }
}
