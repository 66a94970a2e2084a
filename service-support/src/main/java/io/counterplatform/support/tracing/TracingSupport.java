package io.counterplatform.support.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.axonframework.tracing.NoOpSpanFactory;
import org.axonframework.tracing.SpanFactory;
import org.axonframework.tracing.opentelemetry.OpenTelemetrySpanFactory;
import org.springframework.boot.actuate.autoconfigure.tracing.ConditionalOnEnabledTracing;
import org.springframework.boot.actuate.autoconfigure.tracing.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.tracing.TracingProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Axon's spans on the OpenTelemetry SDK that Micrometer Tracing uses, so one trace runs from an HTTP request
 * through its command and event to every handler of the event. Axon's own auto-configuration would take the
 * global SDK, which Spring Boot leaves empty. With {@code management.tracing.enabled=false} Axon traces nothing.
 */
@AutoConfiguration(
        before = {
            OpenTelemetryTracingAutoConfiguration.class,
            org.axonframework.springboot.autoconfig.OpenTelemetryAutoConfiguration.class
        })
public class TracingSupport {

    /**
     * The W3C header, and the metadata key, that carries a trace. A message carries only this: no client's baggage
     * or trace state is stored in events.
     */
    public static final String TRACE_PARENT = "traceparent";

    @Bean
    @ConditionalOnEnabledTracing
    @ConditionalOnMissingBean(SpanFactory.class)
    SpanFactory axonSpanFactory(OpenTelemetry openTelemetry) {
        return openTelemetrySpans(openTelemetry);
    }

    /** Axon's spans on the given SDK, its messages carrying only their {@code traceparent}. */
    public static SpanFactory openTelemetrySpans(OpenTelemetry openTelemetry) {
        return OpenTelemetrySpanFactory.builder()
                .tracer(openTelemetry.getTracer("axon"))
                .contextPropagators(W3CTraceContextPropagator.getInstance())
                .textMapSetter((metadata, key, value) -> {
                    if (metadata != null && TRACE_PARENT.equals(key)) {
                        metadata.put(key, value);
                    }
                })
                .build();
    }

    /** Tracing off: Axon's own fallback would trace on the global SDK, which an agent may have set. */
    @Bean
    @ConditionalOnMissingBean(SpanFactory.class)
    SpanFactory axonWithoutTracing() {
        return NoOpSpanFactory.INSTANCE;
    }

    @Bean
    @ConditionalOnEnabledTracing
    @ConditionalOnMissingBean
    Sampler otelSampler(TracingProperties tracing) {
        return new EdgeSampler(tracing.getSampling().getProbability());
    }
}
