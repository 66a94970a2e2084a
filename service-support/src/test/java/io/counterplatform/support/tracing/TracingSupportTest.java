package io.counterplatform.support.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.List;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Test;

/**
 * A client's {@code traceparent} chooses the trace its request joins, but not whether it is recorded, and nothing
 * else of the client's context reaches the messages.
 */
class TracingSupportTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";

    @Test
    void aRequestIsRecordedByADrawOfOurOwnWhateverItsTraceparentSays() {
        assertThat(decision(new EdgeSampler(0), remote(TraceFlags.getSampled()), SpanKind.SERVER))
                .isEqualTo(SamplingDecision.DROP);
        assertThat(decision(new EdgeSampler(1), remote(TraceFlags.getDefault()), SpanKind.SERVER))
                .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        assertThat(decision(new EdgeSampler(0), Context.root(), SpanKind.INTERNAL))
                .isEqualTo(SamplingDecision.DROP);
    }

    @Test
    void aMessagesHandlerFollowsTheDecisionTakenWhereItsTraceBegan() {
        assertThat(decision(new EdgeSampler(0), remote(TraceFlags.getSampled()), SpanKind.CONSUMER))
                .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        assertThat(decision(new EdgeSampler(1), remote(TraceFlags.getDefault()), SpanKind.CONSUMER))
                .isEqualTo(SamplingDecision.DROP);
    }

    @Test
    void aMessageCarriesItsTraceparentAndNeitherBaggageNorTraceState() {
        var spans = new TracingSupport().axonSpanFactory(OpenTelemetry.noop());
        SpanContext withState = SpanContext.create(
                TRACE_ID,
                SPAN_ID,
                TraceFlags.getSampled(),
                TraceState.builder().put("vendor", "x").build());
        Context clients = Baggage.builder()
                .put("user", "someone")
                .build()
                .storeInContext(Context.root().with(Span.wrap(withState)));

        EventMessage<?> event;
        try (Scope current = clients.makeCurrent()) {
            event = spans.propagateContext(GenericEventMessage.asEventMessage("incremented"));
        }

        assertThat(event.getMetaData()).containsOnlyKeys("traceparent");
        assertThat((String) event.getMetaData().get("traceparent")).isEqualTo("00-" + TRACE_ID + "-" + SPAN_ID + "-01");
    }

    private static Context remote(TraceFlags flags) {
        return Context.root()
                .with(Span.wrap(SpanContext.createFromRemoteParent(TRACE_ID, SPAN_ID, flags, TraceState.getDefault())));
    }

    private static SamplingDecision decision(EdgeSampler sampler, Context parent, SpanKind kind) {
        return sampler.shouldSample(parent, TRACE_ID, "span", kind, Attributes.empty(), List.of())
                .getDecision();
    }
}
