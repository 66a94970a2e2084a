package io.counterplatform.support.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.google.protobuf.ByteString;
import io.axoniq.axonserver.connector.event.AggregateEventStream;
import io.axoniq.axonserver.grpc.SerializedObject;
import io.axoniq.axonserver.grpc.event.Event;
import io.counterplatform.api.counter.CounterIncremented;
import io.counterplatform.support.CounterIncrementedUpcaster;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.stream.LongStream;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.junit.jupiter.api.Test;

/** Reading from Axon Server: exactly the slice asked for, upcast as the event store would, the stream cancelled. */
class AxonServerReaderTest {

    private final AxonServerConnectionManager connections = mock(AxonServerConnectionManager.class, RETURNS_DEEP_STUBS);
    private final AxonServerReader reader = new AxonServerReader(
            connections,
            "default",
            JacksonSerializer.defaultSerializer(),
            new EventUpcasterChain(new CounterIncrementedUpcaster()));

    @Test
    void readsTheSliceUpcastsOldRevisionsAndCancelsTheStream() {
        // the server is asked for 2..4 and sends one event too many, as an exclusive bound would allow
        ServerStream stream = new ServerStream(LongStream.rangeClosed(2, 5)
                .mapToObj(AxonServerReaderTest::revisionOne)
                .toList());
        when(connections.getConnection("default").eventChannel().openAggregateStream("c", 2, 5))
                .thenReturn(stream);

        List<DomainEventMessage<?>> slice = reader.read("c", 2, 4);

        assertThat(slice).extracting(DomainEventMessage::getSequenceNumber).containsExactly(2L, 3L, 4L);
        assertThat(slice)
                .extracting(event -> ((CounterIncremented) event.getPayload()).version())
                .containsExactly(3L, 4L, 5L);
        assertThat(stream.cancelled).isTrue();
    }

    @Test
    void cancelsTheStreamWhenReadingFails() {
        ServerStream stream = new ServerStream(List.of(Event.newBuilder()
                .setAggregateIdentifier("c")
                .setAggregateSequenceNumber(0)
                .setPayload(SerializedObject.newBuilder()
                        .setType(CounterIncremented.class.getName())
                        .setRevision("2")
                        .setData(ByteString.copyFromUtf8("not json")))
                .build()));
        when(connections.getConnection("default").eventChannel().openAggregateStream("c", 0, 1))
                .thenReturn(stream);

        try {
            reader.read("c", 0, 0);
        } catch (RuntimeException expected) {
            // the payload is unreadable
        }

        assertThat(stream.cancelled).isTrue();
    }

    private static Event revisionOne(long sequence) {
        String json = "{\"counterId\":\"c\",\"amount\":1,\"value\":" + (sequence + 1) + ",\"idempotencyKey\":null}";
        return Event.newBuilder()
                .setMessageIdentifier("e-" + sequence)
                .setAggregateIdentifier("c")
                .setAggregateType("Counter")
                .setAggregateSequenceNumber(sequence)
                .setTimestamp(1_700_000_000_000L + sequence)
                .setPayload(SerializedObject.newBuilder()
                        .setType(CounterIncremented.class.getName())
                        .setRevision("1")
                        .setData(ByteString.copyFrom(json, StandardCharsets.UTF_8)))
                .build();
    }

    /** Axon Server's answer to one aggregate read, remembering whether it was cancelled. */
    private static final class ServerStream implements AggregateEventStream {

        private final Iterator<Event> events;
        private boolean cancelled;

        private ServerStream(List<Event> events) {
            this.events = events.iterator();
        }

        @Override
        public Event next() {
            return events.next();
        }

        @Override
        public boolean hasNext() {
            return events.hasNext();
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }
}
