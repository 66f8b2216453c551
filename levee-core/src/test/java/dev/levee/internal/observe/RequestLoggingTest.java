package dev.levee.internal.observe;

import dev.levee.internal.text.PromptDigest;
import dev.levee.internal.text.PromptSanitizer;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.levee.CallOptions;
import dev.levee.ChatResponse;
import dev.levee.Levee;
import dev.levee.TestSupport;
import dev.levee.simulator.Simulator;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Every line of a request's life carries its id; no key or raw PII reaches any log line. */
class RequestLoggingTest {
    private static final String KEY = "sk-proj-SuperSecretKey0123456789abcdef";
    private static final String PII_PROMPT = "Email jane.doe@example.com, call 555-867-5309, card 4111 1111 1111 1111, "
            + "SSN 123-45-6789, my key is sk-live-abcdefghijklmnop1234 and Bearer abc.def.ghijklmnop";

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Simulator sim;

    @BeforeEach
    void capture() {
        appender.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(appender);
        sim = TestSupport.simulator();
    }

    @AfterEach
    void release() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
        sim.close();
    }

    /** The installation's prompt hash key in these tests. */
    private static final byte[] HASH_KEY = "a key of this installation, 32 b".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private Levee levee(String prompts) {
        return Levee.builder().clock(Clock.systemUTC()).random(new java.util.Random(42)).promptHashKey(HASH_KEY)
                .config(TestSupport.config("""
                providers:
                  openai:
                    type: openai
                    base_url: %s/v1
                    api_key: %s
                routes:
                  default:
                    tiers:
                      - target: openai/gpt-primary
                      - target: openai/gpt-backup
                resilience:
                  retry: { max_attempts: 2, base_delay: 5ms }
                logging:
                  prompts: %s
                """.formatted(sim.baseUrl(), KEY, prompts))).build();
    }

    private List<String> linesOf(String requestId) {
        return appender.list.stream()
                .filter(e -> requestId.equals(e.getMDCPropertyMap().get(LoggingListener.REQUEST_ID)))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    private String everything() {
        StringBuilder sb = new StringBuilder();
        for (ILoggingEvent e : appender.list) {
            sb.append(e.getFormattedMessage()).append('\n');
            e.getMDCPropertyMap().values().forEach(v -> sb.append(v).append('\n'));
            if (e.getThrowableProxy() != null) {
                sb.append(e.getThrowableProxy().getMessage()).append('\n');
            }
        }
        return sb.toString();
    }

    @Test
    void everyLineOfARequestCarriesItsRequestId() {
        try (Levee levee = levee("hash")) {
            sim.faults().set("gpt-primary", "status=503");
            ChatResponse r = levee.process("hello", CallOptions.builder().requestId("req-abc-123").build());

            assertThat(r.requestId()).isEqualTo("req-abc-123");
            List<String> lines = linesOf("req-abc-123");
            assertThat(lines).anyMatch(l -> l.startsWith("Processing request"))
                    .anyMatch(l -> l.contains("failed"))
                    .anyMatch(l -> l.contains("retrying"))
                    .anyMatch(l -> l.startsWith("Falling back"))
                    .anyMatch(l -> l.startsWith("Request processed"));
            // every levee.* line logged while the request ran belongs to it
            assertThat(appender.list).filteredOn(e -> e.getLoggerName().startsWith("levee.")
                    && !e.getLoggerName().equals("levee.breaker"))
                    .allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry("request_id", "req-abc-123"));
        }
    }

    @Test
    void aGeneratedRequestIdIsUsedWhenNoneIsGivenOrTheGivenOneIsUnsafe() {
        try (Levee levee = levee("hash")) {
            ChatResponse r = levee.process("x", CallOptions.builder().requestId("bad id\nwith newline").build());
            assertThat(r.requestId()).matches("[0-9a-f-]{36}");
            assertThat(linesOf(r.requestId())).isNotEmpty();
        }
    }

    @Test
    void aFloodOfRefusedRequestsIsAFewWarningsNotAnErrorEach() {
        try (Levee levee = levee("hash")) {
            for (int i = 0; i < 200; i++) {
                int n = i;
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> levee.complete(
                        dev.levee.ChatRequest.builder().route("no-such-route-" + n).user("hi").build()));
            }
        }
        List<ILoggingEvent> refused = appender.list.stream()
                .filter(e -> e.getFormattedMessage().startsWith("Request refused")).toList();
        assertThat(refused).isNotEmpty().hasSizeLessThan(20); // one a second at most, not 200
        assertThat(refused).allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN));
        assertThat(appender.list).noneMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR);
    }

    @Test
    void thePromptHashIsKeyedSoADictionaryCannotReverseIt() throws Exception {
        PromptDigest digest = new PromptDigest(HASH_KEY);
        String plain = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0, 6);
        assertThat(digest.of("hello")).isEqualTo(digest.of("hello")).isNotEqualTo(plain);
        assertThat(new PromptDigest("another installation's 32 bytes!".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .of("hello")).isNotEqualTo(digest.of("hello"));
    }

    @Test
    void byDefaultPromptsAreLoggedAsHashAndLengthOnly() {
        try (Levee levee = levee("hash")) {
            levee.process(PII_PROMPT);
        }
        String logs = everything();
        assertThat(logs).contains("prompt_hash=" + new PromptDigest(HASH_KEY).of(PII_PROMPT))
                .contains("prompt_length=" + PII_PROMPT.length())
                .doesNotContain("jane.doe").doesNotContain("555-867-5309").doesNotContain("4111")
                .doesNotContain("123-45-6789").doesNotContain("sk-live").doesNotContain(KEY);
    }

    @Test
    void sanitizedPromptsMaskEveryKindOfSecret() {
        try (Levee levee = levee("sanitized")) {
            sim.faults().set("*", "unauthorized");
            levee.process(PII_PROMPT);
        }
        String logs = everything();
        assertThat(logs).contains("[EMAIL]").doesNotContain("jane.doe@example.com")
                .doesNotContain("555-867-5309").doesNotContain("4111 1111 1111 1111")
                .doesNotContain("123-45-6789").doesNotContain("sk-live-abcdefghijklmnop1234")
                .doesNotContain("abc.def.ghijklmnop").doesNotContain(KEY).doesNotContain("SuperSecret");
    }

    @Test
    void sanitizerMasksEachKindAndKeepsOrdinaryNumbers() {
        assertThat(PromptSanitizer.sanitize("mail a.b@c.io")).isEqualTo("mail [EMAIL]");
        assertThat(PromptSanitizer.sanitize("card 4111-1111-1111-1111 ok")).isEqualTo("card [CARD] ok");
        assertThat(PromptSanitizer.sanitize("order 1234 5678 9012 3456")).isEqualTo("order 1234 5678 9012 3456");
        assertThat(PromptSanitizer.sanitize("ssn 078-05-1120")).isEqualTo("ssn [SSN]");
        assertThat(PromptSanitizer.sanitize("call (555) 123-4567")).isEqualTo("call [PHONE]");
        assertThat(PromptSanitizer.sanitize("key sk-ant-api03-abcdefghijklmnopqrstuv")).isEqualTo("key [API_KEY]");
        assertThat(PromptSanitizer.sanitize("AKIAIOSFODNN7EXAMPLE")).isEqualTo("[API_KEY]");
        assertThat(PromptSanitizer.sanitize("Authorization: Bearer eyJhbGciOi.eyJzdWIiOi.SflKxwRJSM"))
                .doesNotContain("eyJ");
        assertThat(PromptSanitizer.sanitize("password=hunter2 done")).isEqualTo("password=[REDACTED] done");
        assertThat(PromptSanitizer.sanitize("the year 2024 had 365 days")).isEqualTo("the year 2024 had 365 days");
    }

    @Test
    void configAndSecretsNeverPrintTheKey() {
        var config = TestSupport.config("""
                providers:
                  openai: { type: openai, base_url: "http://127.0.0.1:1/v1", api_key: %s }
                routes:
                  default: { tiers: [ { target: openai/gpt } ] }
                """.formatted(KEY));
        assertThat(config.toString()).doesNotContain(KEY).contains("***");
    }
}
