package dev.levee.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code x-ratelimit-reset-*} values as OpenAI writes them, which clients parse. */
class ResetDurationTest {
    @Test
    void resetsAreWrittenAsOpenAiWritesThem() {
        assertThat(Responses.duration(0)).isEqualTo("0ms");
        assertThat(Responses.duration(120)).isEqualTo("120ms");
        assertThat(Responses.duration(1000)).isEqualTo("1s");
        assertThat(Responses.duration(1500)).isEqualTo("1.5s");
        assertThat(Responses.duration(1050)).isEqualTo("1.05s");
        assertThat(Responses.duration(1005)).isEqualTo("1.005s");
        assertThat(Responses.duration(59_999)).isEqualTo("59.999s");
        assertThat(Responses.duration(60_000)).isEqualTo("1m0s");
        assertThat(Responses.duration(360_000)).isEqualTo("6m0s");
        assertThat(Responses.duration(361_250)).isEqualTo("6m1.25s");
    }
}
