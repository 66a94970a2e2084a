package io.counterplatform.support.tracing;

import java.util.function.Supplier;
import org.axonframework.messaging.Message;
import org.axonframework.tracing.NoOpSpanFactory;
import org.axonframework.tracing.Span;
import org.axonframework.tracing.SpanAttributesProvider;
import org.axonframework.tracing.SpanFactory;

/**
 * Axon's spans for recorded traces only. Whether a trace is recorded is drawn at its edge ({@link EdgeSampler}) and
 * followed inside, so a span of a trace that is not recorded is never exported; Axon would still build it for every
 * handler of every event (read its parent from the message, name it, open its scope), most of a projection's CPU per
 * event. Here it is Axon's no-op span instead. The message's {@code traceparent} still travels as it came: a webhook
 * delivery reads the trace from its event, recorded or not. A dispatch or internal span outside any recorded span
 * (a query sent from a scheduler's thread) is not begun either: such a trace would hold that one span.
 */
public record RecordedTracesOnly(SpanFactory spans) implements SpanFactory {

    private static final int SAMPLED_FLAG_POSITION = 54; // "00-" + 32 hex trace id + "-" + 16 hex span id + "-" + flags

    /** A trace that begins here: its sampler decides. */
    @Override
    public Span createRootTrace(Supplier<String> operationName) {
        return spans.createRootTrace(operationName);
    }

    /** A message's handler: spanned when the message's trace is recorded, or when it carries none (an edge). */
    @Override
    public Span createHandlerSpan(
            Supplier<String> operationName, Message<?> parentMessage, boolean isChildTrace, Message<?>... linked) {
        return isRecorded(parentMessage)
                ? spans.createHandlerSpan(operationName, parentMessage, isChildTrace, linked)
                : NoOpSpanFactory.NoOpSpan.INSTANCE;
    }

    @Override
    public Span createDispatchSpan(Supplier<String> operationName, Message<?> parentMessage, Message<?>... siblings) {
        return inRecordedTrace()
                ? spans.createDispatchSpan(operationName, parentMessage, siblings)
                : NoOpSpanFactory.NoOpSpan.INSTANCE;
    }

    @Override
    public Span createInternalSpan(Supplier<String> operationName) {
        return inRecordedTrace() ? spans.createInternalSpan(operationName) : NoOpSpanFactory.NoOpSpan.INSTANCE;
    }

    @Override
    public Span createInternalSpan(Supplier<String> operationName, Message<?> message) {
        return inRecordedTrace() ? spans.createInternalSpan(operationName, message) : NoOpSpanFactory.NoOpSpan.INSTANCE;
    }

    @Override
    public void registerSpanAttributeProvider(SpanAttributesProvider provider) {
        spans.registerSpanAttributeProvider(provider);
    }

    @Override
    public <M extends Message<?>> M propagateContext(M message) {
        return spans.propagateContext(message);
    }

    /**
     * The message's W3C {@code traceparent} says its trace is recorded, or it has none that can be read (its handler
     * is an edge).
     */
    static boolean isRecorded(Message<?> message) {
        if (!(message.getMetaData().get(TracingSupport.TRACE_PARENT) instanceof String traceParent)) {
            return true;
        }
        return traceParent.length() <= SAMPLED_FLAG_POSITION // none that can be read: an edge as well
                || (Character.digit(traceParent.charAt(SAMPLED_FLAG_POSITION), 16) & 1) == 1;
    }

    /** The span this thread runs in belongs to a recorded trace. */
    private static boolean inRecordedTrace() {
        return io.opentelemetry.api.trace.Span.current().getSpanContext().isSampled();
    }
}
