package io.counterplatform.query.config;

import io.counterplatform.support.tracing.RecordedTracesOnly;
import io.counterplatform.support.tracing.TracingSupport;
import io.opentelemetry.api.OpenTelemetry;
import org.axonframework.tracing.SpanFactory;
import org.springframework.boot.actuate.autoconfigure.tracing.ConditionalOnEnabledTracing;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The query side's Axon spans, for recorded traces only: each event is handled by three processors, and a span per
 * handler of a trace nobody records cost more than the handling. (The command side spans every command: its events
 * take their {@code traceparent} from the span their command is handled in, on the thread that commits its batch.)
 */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

    @Bean
    @ConditionalOnEnabledTracing
    SpanFactory recordedTracesOnly(OpenTelemetry openTelemetry) {
        return new RecordedTracesOnly(TracingSupport.openTelemetrySpans(openTelemetry));
    }
}
