package dev.levee.otel;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** One span as the collector received it, with typed attribute lookups. */
record ExportedSpan(Resource resource, InstrumentationScope scope, Span span) {

    String name() {
        return span.getName();
    }

    Span.SpanKind kind() {
        return span.getKind();
    }

    String traceId() {
        return HexFormat.of().formatHex(span.getTraceId().toByteArray());
    }

    String spanId() {
        return HexFormat.of().formatHex(span.getSpanId().toByteArray());
    }

    String parentSpanId() {
        return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
    }

    boolean isError() {
        return span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
    }

    Optional<AnyValue> attribute(String key) {
        return attribute(span.getAttributesList(), key);
    }

    static Optional<AnyValue> attribute(List<KeyValue> attributes, String key) {
        return attributes.stream().filter(kv -> kv.getKey().equals(key)).map(KeyValue::getValue).findFirst();
    }

    String string(String key) {
        return attribute(key).map(AnyValue::getStringValue).orElse(null);
    }

    Long number(String key) {
        return attribute(key).map(AnyValue::getIntValue).orElse(null);
    }

    Double decimal(String key) {
        return attribute(key).map(AnyValue::getDoubleValue).orElse(null);
    }

    List<String> strings(String key) {
        return attribute(key).map(v -> v.getArrayValue().getValuesList().stream().map(AnyValue::getStringValue)
                .collect(Collectors.toList())).orElse(null);
    }

    String resourceAttribute(String key) {
        return attribute(resource.getAttributesList(), key).map(AnyValue::getStringValue).orElse(null);
    }

    List<String> eventNames() {
        return span.getEventsList().stream().map(Span.Event::getName).collect(Collectors.toList());
    }

    /** Every attribute value of the span and its events, as text: to prove what is not there. */
    String allValues() {
        StringBuilder b = new StringBuilder();
        span.getAttributesList().forEach(kv -> b.append(kv.getValue()).append('\n'));
        span.getEventsList().forEach(e -> e.getAttributesList().forEach(kv -> b.append(kv.getValue()).append('\n')));
        return b.append(span.getStatus().getMessage()).toString();
    }
}
