package dev.levee.otel;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * The span attribute keys: the OpenTelemetry GenAI semantic conventions (1.37, where the provider
 * is {@code gen_ai.provider.name} and content is {@code gen_ai.input/output.messages}), then levee's own.
 * Built once: the hot path never creates a key.
 */
final class TraceAttributes {
    static final String SCHEMA_URL = "https://opentelemetry.io/schemas/1.37.0";
    static final String CHAT = "chat";

    static final AttributeKey<String> OPERATION_NAME = stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER_NAME = stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = stringKey("gen_ai.request.model");
    static final AttributeKey<Long> REQUEST_MAX_TOKENS = longKey("gen_ai.request.max_tokens");
    static final AttributeKey<Double> REQUEST_TEMPERATURE = doubleKey("gen_ai.request.temperature");
    static final AttributeKey<Double> REQUEST_TOP_P = doubleKey("gen_ai.request.top_p");
    static final AttributeKey<String> RESPONSE_MODEL = stringKey("gen_ai.response.model");
    static final AttributeKey<String> RESPONSE_ID = stringKey("gen_ai.response.id");
    static final AttributeKey<List<String>> RESPONSE_FINISH_REASONS = stringArrayKey("gen_ai.response.finish_reasons");
    static final AttributeKey<Long> USAGE_INPUT_TOKENS = longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> USAGE_OUTPUT_TOKENS = longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<String> INPUT_MESSAGES = stringKey("gen_ai.input.messages");
    static final AttributeKey<String> OUTPUT_MESSAGES = stringKey("gen_ai.output.messages");
    static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");
    static final AttributeKey<Long> HTTP_STATUS = longKey("http.response.status_code");

    static final AttributeKey<String> REQUEST_ID = stringKey("levee.request_id");
    static final AttributeKey<String> ROUTE = stringKey("levee.route");
    static final AttributeKey<Boolean> STREAM = booleanKey("levee.stream");
    static final AttributeKey<String> FAULT_INJECTION = stringKey("levee.fault_injection");
    static final AttributeKey<Long> FALLBACK_LEVEL = longKey("levee.fallback_level");
    static final AttributeKey<Long> TIER = longKey("levee.tier");
    static final AttributeKey<Long> ATTEMPT = longKey("levee.attempt");
    static final AttributeKey<String> TARGET = stringKey("levee.target");
    static final AttributeKey<Boolean> CONTINUATION = booleanKey("levee.continuation");
    static final AttributeKey<String> BREAKER_STATE = stringKey("levee.breaker.state");
    /** {@code target=STATE} for each target the request touched, after the request. */
    static final AttributeKey<List<String>> BREAKER_STATES = stringArrayKey("levee.breaker.states");
    static final AttributeKey<Double> ANOMALY_SCORE = doubleKey("levee.anomaly_score");
    static final AttributeKey<List<String>> ANOMALY_REASONS = stringArrayKey("levee.anomaly_reasons");
    static final AttributeKey<Double> COST_USD = doubleKey("levee.cost_usd");
    static final AttributeKey<Boolean> USAGE_ESTIMATED = booleanKey("levee.usage.estimated");
    static final AttributeKey<Double> TTFT_MS = doubleKey("levee.ttft_ms");
    static final AttributeKey<Long> RETRY_DELAY_MS = longKey("levee.retry_delay_ms");
    static final AttributeKey<String> SKIP_REASON = stringKey("levee.skip_reason");
    static final AttributeKey<Long> FROM_TIER = longKey("levee.from_tier");
    static final AttributeKey<Long> TO_TIER = longKey("levee.to_tier");
    static final AttributeKey<String> TO_TARGET = stringKey("levee.to_target");
    static final AttributeKey<String> FALLBACK_REASON = stringKey("levee.fallback_reason");
    static final AttributeKey<Long> PARTIAL_CHARS = longKey("levee.partial_chars");

    private TraceAttributes() {
    }
}
