package io.counterplatform.support.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whether a trace is recorded is drawn where it enters the platform: a request (with or without a client's
 * {@code traceparent}, whose id and flags are the client's to choose) or a trace of our own. Inside the platform
 * (a span within a request, a message's handler, which reads its trace from our own metadata) the decision made
 * at the edge is followed, so a trace is recorded whole or not at all. No library sampler tells a request's
 * remote parent from a message's.
 */
record EdgeSampler(double probability) implements Sampler {

    @Override
    public SamplingResult shouldSample(
            Context parentContext,
            String traceId,
            String name,
            SpanKind spanKind,
            Attributes attributes,
            List<LinkData> parentLinks) {
        SpanContext parent = Span.fromContext(parentContext).getSpanContext();
        boolean edge = !parent.isValid() || parent.isRemote() && spanKind == SpanKind.SERVER;
        boolean sampled = edge ? ThreadLocalRandom.current().nextDouble() < probability : parent.isSampled();
        return sampled ? SamplingResult.recordAndSample() : SamplingResult.drop();
    }

    @Override
    public String getDescription() {
        return "EdgeSampler{" + probability + "}";
    }
}
