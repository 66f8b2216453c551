package dev.levee.internal.observe.telemetry;

import dev.levee.spi.TelemetryRecord;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.levee.spi.TelemetryRecord.AttemptRecord;
import dev.levee.spi.TelemetryRecord.ErrorRecord;
import dev.levee.spi.TelemetryRecord.Tokens;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The telemetry writer's hand-driven generator gives, byte for byte, what databind gives for the
 * record's annotations with snake_case names, so a user who serialises {@link TelemetryRecord}s
 * from their own sink with Jackson gets the file's format.
 */
class TelemetryJsonTest {
    private static final ObjectMapper DATABIND = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    @Test
    void anAnsweredRequestWithEveryFieldSet() throws Exception {
        Map<String, String> breakers = new LinkedHashMap<>();
        breakers.put("openai/gpt-4o-mini", "OPEN");
        breakers.put("local/gemma3:4b", "CLOSED");
        TelemetryRecord r = new TelemetryRecord(Instant.parse("2026-11-23T00:01:02.345678Z"), "req-1", "default",
                "local", "gemma3:4b", 1, true, true,
                List.of(new AttemptRecord(0, "openai/gpt-4o-mini", "skipped", 0, "circuit open", 0.0, 0),
                        new AttemptRecord(1, "local/gemma3:4b", "ok", 200, null, 12.34, 250)),
                45.67, 3.5, new Tokens(12, 34, 46, true), new BigDecimal("0.0000141"), "ok", null, breakers, 0.75,
                List.of("slow: 3x the usual latency", "unicode \u00e9\u2603 \"quoted\"\n"), "ab12cd34", 42, 1234,
                "stop", Map.of("user", "u-1"));
        assertSameAsDatabind(r);
    }

    @Test
    void aFailedRequestLeavesOutWhatItDoesNotHave() throws Exception {
        TelemetryRecord r = new TelemetryRecord(Instant.EPOCH, "req-2", "strict", null, null, null, null, false,
                List.of(new AttemptRecord(0, "local/strict", "error", 503, "upstream said 503", 1.0, 0)), 7.0, null,
                null, null, "error", new ErrorRecord("all_tiers_failed", null), Map.of(), null, null, null, null, null,
                null, null);
        assertSameAsDatabind(r);
    }

    @Test
    void aRecordWithNothingButItsPrimitives() throws Exception {
        TelemetryRecord r = new TelemetryRecord(null, null, null, null, null, null, null, false, null, 0.0, null,
                null, null, null, null, null, null, Arrays.asList("a", null), null, null, null, null,
                new LinkedHashMap<>(Map.of("k", "v")));
        assertSameAsDatabind(r);
    }

    private static void assertSameAsDatabind(TelemetryRecord r) throws Exception {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            TelemetryJson.write(g, r);
        }
        assertThat(out.toString()).isEqualTo(DATABIND.writeValueAsString(r));
    }
}
