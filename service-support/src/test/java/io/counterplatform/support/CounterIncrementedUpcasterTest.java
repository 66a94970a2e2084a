package io.counterplatform.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.counterplatform.api.counter.CounterIncremented;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;

class CounterIncrementedUpcasterTest {

    private final JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
    private final CounterIncrementedUpcaster upcaster = new CounterIncrementedUpcaster();

    @Test
    void aRevisionOneEventIsReadWithTheVersionItsSequenceNumberImplies() {
        IntermediateEventRepresentation stored =
                stored(6, "1", "{\"counterId\":\"c\",\"amount\":2,\"value\":9,\"idempotencyKey\":\"k\"}");

        List<IntermediateEventRepresentation> upcast =
                upcaster.upcast(Stream.of(stored)).toList();

        assertThat(upcast).hasSize(1);
        assertThat(upcast.get(0).getType().getRevision()).isEqualTo("2");
        assertThat(read(upcast.get(0))).isEqualTo(new CounterIncremented("c", 2, 9, "k", 7));
    }

    @Test
    void aRevisionTwoEventIsLeftAsItIs() {
        IntermediateEventRepresentation stored =
                stored(0, "2", "{\"counterId\":\"c\",\"amount\":1,\"value\":1,\"idempotencyKey\":null,\"version\":1}");

        IntermediateEventRepresentation read =
                upcaster.upcast(Stream.of(stored)).toList().get(0);

        assertThat(read).isSameAs(stored);
        assertThat(read(read)).isEqualTo(new CounterIncremented("c", 1, 1, null, 1));
    }

    private IntermediateEventRepresentation stored(long sequenceNumber, String revision, String json) {
        GenericDomainEventEntry<byte[]> entry = new GenericDomainEventEntry<>(
                "Counter",
                "c",
                sequenceNumber,
                "event-" + sequenceNumber,
                Instant.parse("2026-11-27T10:00:00Z"),
                CounterIncremented.class.getTypeName(),
                revision,
                json.getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8));
        return new InitialEventRepresentation(entry, serializer);
    }

    private CounterIncremented read(IntermediateEventRepresentation representation) {
        return serializer.deserialize(new SimpleSerializedObject<>(
                representation.getData(byte[].class).getData(), byte[].class, representation.getType()));
    }
}
