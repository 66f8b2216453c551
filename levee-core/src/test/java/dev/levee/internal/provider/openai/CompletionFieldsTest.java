package dev.levee.internal.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.FinishReason;
import dev.levee.Provenance;
import dev.levee.Usage;
import dev.levee.internal.provider.Json;
import dev.levee.spi.ProviderReply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming read of a chat.completion; what it declines goes to the tree path (ProviderAdaptersTest). */
class CompletionFieldsTest {

    @Test
    void readsModelTextFinishAndUsageAndSkipsTheRest() {
        ProviderReply r = read("""
                {"id":"x","object":"chat.completion","created":1,"model":"gpt-4o-mini","system_fingerprint":null,
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hi \\"there\\" \\u00e9","refusal":null,
                 "annotations":[{"a":[1,2,{"b":null}]}]},"logprobs":null,"finish_reason":"length"},
                 {"index":1,"message":{"content":"second"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17,
                 "prompt_tokens_details":{"cached_tokens":0}},"service_tier":"default"}""");
        assertThat(r).isEqualTo(new ProviderReply("Hi \"there\" é", "gpt-4o-mini", new Usage(12, 5, 17, false),
                FinishReason.LENGTH, List.of(), null, new Provenance("x", 1L, null)));
    }

    @Test
    void cachedPromptTokensAreReadOnBothPaths() {
        String body = "{\"model\":\"m\",\"choices\":[{\"message\":{\"content\":\"a\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":4,\"total_tokens\":124,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":100,\"audio_tokens\":0}}}";
        assertThat(read(body).usage().cachedTokens()).isEqualTo(100);
        assertThat(OpenAiAdapter.usage(Json.parseOrNull(body).get("usage")).cachedTokens()).isEqualTo(100);
    }

    @Test
    void absentPartsTakeTheTreePathsDefaults() {
        assertThat(read("{\"choices\":[{\"message\":{\"content\":null}}]}"))
                .isEqualTo(new ProviderReply("", null, null, FinishReason.STOP));
        assertThat(read("{\"choices\":[{\"message\":{}}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}"))
                .isEqualTo(new ProviderReply("", null, new Usage(3, 4, 7, false), FinishReason.STOP));
        assertThat(read("{\"choices\":[{\"message\":{\"content\":\"a\"}}],\"usage\":{\"completion_tokens\":4}}").usage())
                .as("no prompt_tokens: no usage, as on the tree path").isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "[]", "\"text\"", "{", "{\"choices\":[]}", "{\"choices\":{}}", "{\"choices\":[1]}",
        "{\"choices\":[{\"message\":\"x\"}]}", "{\"model\":\"m\"}", "{\"choices\":[{\"message\":{}}]} {}",
        "{\"choices\":[{\"message\":{}}],\"usage\":{\"prompt_tokens\":\"3\"}}", "{\"choices\":[{\"message\":{]}"
    })
    void declinesWhatIsNotAPlainCompleteCompletion(String body) {
        assertThat(read(body)).isNull();
    }

    private static ProviderReply read(String body) {
        return CompletionFields.read(body.getBytes(StandardCharsets.UTF_8));
    }
}
