package io.counterplatform.support.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.axonframework.tracing.SpanFactory;
import org.axonframework.tracing.opentelemetry.OpenTelemetrySpanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.tracing.ConditionalOnEnabledTracing;
import org.springframework.boot.actuate.autoconfigure.tracing.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.tracing.TracingProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Axon's spans on the OpenTelemetry SDK that Micrometer Tracing uses, so one trace runs from an HTTP request
 * through its command and event (the context travels in the messages' {@code traceparent} metadata) to every
 * handler of the event. Axon's own auto-configuration would take the global SDK, which Spring Boot leaves empty.
 */
@AutoConfiguration(
        before = {
            OpenTelemetryTracingAutoConfiguration.class,
            org.axonframework.springboot.autoconfig.OpenTelemetryAutoConfiguration.class
        })
public class TracingSupport {

    @Bean
    SpanFactory axonSpanFactory(ObjectProvider<OpenTelemetry> openTelemetry) {
        OpenTelemetry sdk = openTelemetry.getIfAvailable(OpenTelemetry::noop);
        return OpenTelemetrySpanFactory.builder()
                .tracer(sdk.getTracer("axon"))
                .contextPropagators(sdk.getPropagators().getTextMapPropagator())
                .build();
    }

    /**
     * Whether a trace is recorded follows from its id alone, at the configured ratio: a client's {@code
     * traceparent} chooses the trace but cannot have every request of its own recorded, and both services decide
     * alike for one trace whatever the flags its messages carry.
     */
    @Bean
    @ConditionalOnEnabledTracing
    Sampler otelSampler(TracingProperties tracing) {
        Sampler ratio = Sampler.traceIdRatioBased(tracing.getSampling().getProbability());
        return Sampler.parentBasedBuilder(ratio)
                .setRemoteParentSampled(ratio)
                .setRemoteParentNotSampled(ratio)
                .build();
    }
}
