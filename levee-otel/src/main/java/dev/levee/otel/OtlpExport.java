package dev.levee.otel;

import dev.levee.config.MonitoringConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.net.URI;
import java.time.Duration;

/**
 * The SDK levee builds for itself: OTLP/HTTP protobuf over the JDK HttpClient (OTel's default
 * OkHttp sender would bring a second, clashing OkHttp next to the OpenAI SDK's), batched so that
 * ending a span on an event loop only enqueues it. Not registered globally.
 */
final class OtlpExport {
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(10);

    private OtlpExport() {
    }

    static OpenTelemetrySdk sdk(MonitoringConfig.Tracing tracing) {
        Resource resource = Resource.getDefault()
                .merge(Resource.create(Attributes.of(SERVICE_NAME, tracing.serviceName())));
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(tracesUrl(tracing.otlpEndpoint()))
                .setTimeout(EXPORT_TIMEOUT)
                .build();
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(resource)
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
        return OpenTelemetrySdk.builder().setTracerProvider(provider).build();
    }

    /** A bare collector address ({@code http://host:4318}) gets the OTLP traces path appended. */
    static String tracesUrl(String endpoint) {
        String path = URI.create(endpoint).getPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            return endpoint.replaceAll("/$", "") + "/v1/traces";
        }
        return endpoint;
    }
}
