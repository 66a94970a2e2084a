package io.counterplatform.support.history;

import io.axoniq.axonserver.connector.event.AggregateEventStream;
import java.util.List;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.axonframework.axonserver.connector.event.axon.GrpcBackedDomainEventData;
import org.axonframework.axonserver.connector.event.axon.GrpcMetaDataAwareSerializer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.EventStreamUtils;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;

/**
 * Reads from Axon Server exactly the slice asked for, upcast and deserialized as the event store does, and
 * cancels the server's stream when done: {@code EventStore.readEvents} offers no way to close a stream it
 * returns, and a half-read one stays open on the server.
 */
final class AxonServerReader implements CounterEventReader {

    private final AxonServerConnectionManager connections;
    private final String context;
    private final Serializer eventSerializer;
    private final EventUpcaster upcasters;

    AxonServerReader(
            AxonServerConnectionManager connections,
            String context,
            Serializer eventSerializer,
            EventUpcaster upcasters) {
        this.connections = connections;
        this.context = context;
        // as Axon Server's event store does: metadata arrives as gRPC values, not as serialized bytes
        this.eventSerializer = new GrpcMetaDataAwareSerializer(eventSerializer);
        this.upcasters = upcasters;
    }

    @Override
    public List<DomainEventMessage<?>> read(String counterId, long from, long to) {
        // one past the end, whether the server takes its bound as inclusive or not; the filter keeps the slice
        AggregateEventStream events =
                connections.getConnection(context).eventChannel().openAggregateStream(counterId, from, to + 1);
        try {
            return EventStreamUtils.upcastAndDeserializeDomainEvents(
                            events.asStream().map(GrpcBackedDomainEventData::new), eventSerializer, upcasters)
                    .asStream()
                    .filter(event -> event.getSequenceNumber() <= to)
                    .<DomainEventMessage<?>>map(event -> event)
                    .toList();
        } finally {
            events.cancel();
        }
    }
}
