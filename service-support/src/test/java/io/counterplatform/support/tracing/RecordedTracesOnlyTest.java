package io.counterplatform.support.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.tracing.SpanFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A handler of a message whose trace is not recorded gets no span at all (nothing is built, nothing is started),
 * one whose trace is recorded gets Axon's, and the {@code traceparent} travels either way.
 */
class RecordedTracesOnlyTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";

    private final List<String> started = new CopyOnWriteArrayList<>();
    private final SdkTracerProvider tracer = SdkTracerProvider.builder()
            .setSampler(new EdgeSampler(1))
            .addSpanProcessor(new SpanProcessor() {
                @Override
                public void onStart(Context parent, ReadWriteSpan span) {
                    started.add(span.getName());
                }

                @Override
                public boolean isStartRequired() {
                    return true;
                }

                @Override
                public void onEnd(ReadableSpan span) {}

                @Override
                public boolean isEndRequired() {
                    return false;
                }

                @Override
                public CompletableResultCode shutdown() {
                    return CompletableResultCode.ofSuccess();
                }
            })
            .build();
    private final SpanFactory spans =
            new RecordedTracesOnly(TracingSupport.openTelemetrySpans(OpenTelemetrySdk.builder()
                    .setTracerProvider(tracer)
                    .setPropagators(ContextPropagators.noop())
                    .build()));

    @AfterEach
    void close() {
        tracer.close();
    }

    @Test
    void theHandlerOfAnEventInARecordedTraceIsSpannedInThatTrace() {
        spans.createChildHandlerSpan(() -> "handle", event("01")).run(() -> {
            assertThat(Span.current().getSpanContext().getTraceId()).isEqualTo(TRACE_ID);
            spans.createInternalSpan(() -> "handler method").run(() -> {});
        });

        assertThat(started).containsExactly("handle(String)", "handler method"); // Axon names it by payload
    }

    @Test
    void theHandlerOfAnEventInATraceNotRecordedStartsNoSpanNorDoesAnythingWithinIt() {
        spans.createChildHandlerSpan(() -> "handle", event("00")).run(() -> {
            assertThat(Span.current().getSpanContext().isValid()).isFalse();
            spans.createInternalSpan(() -> "handler method").run(() -> {});
            spans.createDispatchSpan(() -> "dispatch", event("00")).run(() -> {});
        });

        assertThat(started).isEmpty();
    }

    @Test
    void aHandlerOfAMessageWithoutATraceBeginsOneWhereItsSamplerSaysSo() {
        spans.createChildHandlerSpan(() -> "handle", GenericEventMessage.asEventMessage("untraced"))
                .run(() -> {});
        spans.createChildHandlerSpan(
                        () -> "handle",
                        GenericEventMessage.<Object>asEventMessage("garbled")
                                .withMetaData(Map.of("traceparent", "00-garbled")))
                .run(() -> {});
        spans.createRootTrace(() -> "root").run(() -> {});

        assertThat(started).containsExactly("handle(String)", "handle(String)", "root");
    }

    @Test
    void theTraceparentTravelsWhetherOrNotTheTraceIsRecorded() {
        SpanContext notRecorded =
                SpanContext.createFromRemoteParent(TRACE_ID, SPAN_ID, TraceFlags.getDefault(), TraceState.getDefault());
        EventMessage<?> sent;
        try (Scope request = Context.root().with(Span.wrap(notRecorded)).makeCurrent()) {
            sent = spans.propagateContext(GenericEventMessage.asEventMessage("incremented"));
        }

        assertThat(sent.getMetaData()).containsEntry("traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-00");
        assertThat(started).isEmpty();
    }

    private static EventMessage<?> event(String flags) {
        return GenericEventMessage.<Object>asEventMessage("incremented")
                .withMetaData(Map.of("traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-" + flags));
    }
}
