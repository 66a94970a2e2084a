package io.counterplatform.support.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.tracing.TracingProperties;

/** A request's {@code traceparent} chooses its trace; only the trace id and the ratio decide what is recorded. */
class TracingSupportTest {

    /** The ratio sampler reads the id's last 16 hex digits: these are far above one in ten, these far below. */
    private static final String OUTSIDE_THE_RATIO = "00000000000000007fffffffffffffff";

    private static final String INSIDE_THE_RATIO = "0000000000000000000000000000000a";

    private final Sampler sampler = oneInTen();

    @Test
    void aClientCannotHaveItsRequestRecordedBySayingSo() {
        assertThat(decision(OUTSIDE_THE_RATIO, TraceFlags.getSampled())).isEqualTo(SamplingDecision.DROP);
    }

    @Test
    void aTraceInsideTheRatioIsRecordedWhateverItsFlagsSay() {
        assertThat(decision(INSIDE_THE_RATIO, TraceFlags.getDefault())).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        assertThat(decision(INSIDE_THE_RATIO, TraceFlags.getSampled())).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    }

    private SamplingDecision decision(String traceId, TraceFlags flags) {
        SpanContext remote =
                SpanContext.createFromRemoteParent(traceId, "00f067aa0ba902b7", flags, TraceState.getDefault());
        return sampler.shouldSample(
                        Context.root().with(Span.wrap(remote)),
                        traceId,
                        "POST /api/counters/{id}/increments",
                        SpanKind.SERVER,
                        Attributes.empty(),
                        List.of())
                .getDecision();
    }

    private static Sampler oneInTen() {
        TracingProperties tracing = new TracingProperties();
        tracing.getSampling().setProbability(0.1f);
        return new TracingSupport().otelSampler(tracing);
    }
}
