package io.counterplatform.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.counterplatform.api.counter.CounterIncremented;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

/**
 * Reads {@code CounterIncremented} revision 1 (written before events carried their version) as revision 2: the
 * version is the event's sequence number plus one. Stored events are never rewritten.
 */
public class CounterIncrementedUpcaster extends SingleEventUpcaster {

    private static final String TYPE = CounterIncremented.class.getTypeName();
    private static final SimpleSerializedType REVISION_1 = new SimpleSerializedType(TYPE, "1");
    private static final SimpleSerializedType REVISION_2 = new SimpleSerializedType(TYPE, "2");

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return REVISION_1.equals(representation.getType());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        long version = representation
                        .getSequenceNumber()
                        .orElseThrow(() -> new IllegalStateException("a counter event without a sequence number"))
                + 1;
        return representation.upcastPayload(REVISION_2, JsonNode.class, payload -> {
            ((ObjectNode) payload).put("version", version);
            return payload;
        });
    }
}
