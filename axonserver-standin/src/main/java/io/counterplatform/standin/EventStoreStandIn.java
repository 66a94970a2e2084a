package io.counterplatform.standin;

import io.axoniq.axonserver.grpc.event.Confirmation;
import io.axoniq.axonserver.grpc.event.Event;
import io.axoniq.axonserver.grpc.event.EventStoreGrpc;
import io.axoniq.axonserver.grpc.event.EventWithToken;
import io.axoniq.axonserver.grpc.event.GetAggregateEventsRequest;
import io.axoniq.axonserver.grpc.event.GetAggregateSnapshotsRequest;
import io.axoniq.axonserver.grpc.event.GetEventsRequest;
import io.axoniq.axonserver.grpc.event.GetFirstTokenRequest;
import io.axoniq.axonserver.grpc.event.GetLastTokenRequest;
import io.axoniq.axonserver.grpc.event.GetTokenAtRequest;
import io.axoniq.axonserver.grpc.event.ReadHighestSequenceNrRequest;
import io.axoniq.axonserver.grpc.event.ReadHighestSequenceNrResponse;
import io.axoniq.axonserver.grpc.event.TrackingToken;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Axon Server's event store, in memory, as the server answers on the wire: an append is all or nothing, and refused
 * with {@code OUT_OF_RANGE} and the error code {@code AXONIQ-2000} in its trailers when an aggregate's first sequence
 * number is not the next one; an aggregate read's {@code max_sequence} is exclusive and a snapshot is offered only
 * from sequence 0; a tracking stream starts at the token it names and sends only as many events as it has permits.
 */
final class EventStoreStandIn extends EventStoreGrpc.EventStoreImplBase {

    private static final Metadata.Key<String> ERROR_CODE =
            Metadata.Key.of("AxonIQ-ErrorCode", Metadata.ASCII_STRING_MARSHALLER);

    /** What an append does, for the tests of what happens when it does not simply succeed. */
    enum AppendFault {
        /** Refused as by a server out of reach: nothing is stored. */
        REFUSE,
        /** Stored, but answered with an error: the confirmation is lost on its way back. */
        LOSE_CONFIRMATION
    }

    private final List<Event> events = new ArrayList<>();
    private final Map<String, List<Event>> aggregates = new HashMap<>();
    private final Map<String, TreeMap<Long, Event>> snapshots = new HashMap<>();
    private final List<Tracker> trackers = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<AppendFault> faults = new ConcurrentLinkedQueue<>();

    void failNextAppend(AppendFault fault) {
        faults.add(fault);
    }

    /** Appends as a client would, for a test that plays another instance. */
    void append(List<Event> batch) {
        store(batch);
        trackers.forEach(Tracker::send);
    }

    synchronized List<Event> events(String aggregateId) {
        return List.copyOf(aggregates.getOrDefault(aggregateId, List.of()));
    }

    @Override
    public StreamObserver<Event> appendEvent(StreamObserver<Confirmation> confirmation) {
        List<Event> batch = new ArrayList<>();
        return new StreamObserver<>() {
            @Override
            public void onNext(Event event) {
                batch.add(event);
            }

            @Override
            public void onError(Throwable cancelled) {
                batch.clear(); // the client rolled back
            }

            @Override
            public void onCompleted() {
                AppendFault fault = faults.poll();
                if (fault == AppendFault.REFUSE) {
                    confirmation.onError(Status.UNAVAILABLE
                            .withDescription("stand-in: append refused")
                            .asRuntimeException());
                    return;
                }
                try {
                    append(batch);
                } catch (StatusRuntimeException refused) {
                    confirmation.onError(refused);
                    return;
                }
                if (fault == AppendFault.LOSE_CONFIRMATION) {
                    confirmation.onError(Status.UNAVAILABLE
                            .withDescription("stand-in: confirmation lost")
                            .asRuntimeException());
                    return;
                }
                confirmation.onNext(Confirmation.newBuilder().setSuccess(true).build());
                confirmation.onCompleted();
            }
        };
    }

    private synchronized void store(List<Event> batch) {
        Map<String, Long> next = new LinkedHashMap<>();
        for (Event event : batch) {
            if (event.getAggregateType().isEmpty()) {
                continue;
            }
            String id = event.getAggregateIdentifier();
            long expected = next.computeIfAbsent(id, this::nextSequence);
            if (event.getAggregateSequenceNumber() != expected) {
                Metadata trailers = new Metadata();
                trailers.put(ERROR_CODE, "AXONIQ-2000");
                throw Status.OUT_OF_RANGE
                        .withDescription(String.format(
                                "[AXONIQ-2000] Invalid sequence number %d for aggregate %s, expected %d",
                                event.getAggregateSequenceNumber(), id, expected))
                        .asRuntimeException(trailers);
            }
            next.put(id, expected + 1);
        }
        for (Event event : batch) {
            events.add(event);
            if (!event.getAggregateType().isEmpty()) {
                aggregates
                        .computeIfAbsent(event.getAggregateIdentifier(), id -> new ArrayList<>())
                        .add(event);
            }
        }
    }

    private long nextSequence(String aggregateId) {
        return aggregates.getOrDefault(aggregateId, List.of()).size();
    }

    @Override
    public void appendSnapshot(Event snapshot, StreamObserver<Confirmation> confirmation) {
        synchronized (this) {
            snapshots
                    .computeIfAbsent(snapshot.getAggregateIdentifier(), id -> new TreeMap<>())
                    .put(
                            snapshot.getAggregateSequenceNumber(),
                            snapshot.toBuilder().setSnapshot(true).build());
        }
        confirmation.onNext(Confirmation.newBuilder().setSuccess(true).build());
        confirmation.onCompleted();
    }

    @Override
    public void listAggregateEvents(GetAggregateEventsRequest request, StreamObserver<Event> out) {
        List<Event> found = new ArrayList<>();
        synchronized (this) {
            long max = request.getMaxSequence() > 0 ? request.getMaxSequence() : Long.MAX_VALUE;
            long from = request.getInitialSequence();
            if (request.getAllowSnapshots() && from == 0) {
                Map.Entry<Long, Event> snapshot = snapshots
                        .getOrDefault(request.getAggregateId(), new TreeMap<>())
                        .lowerEntry(max);
                if (snapshot != null) {
                    found.add(snapshot.getValue());
                    from = snapshot.getKey() + 1;
                }
            }
            List<Event> stored = aggregates.getOrDefault(request.getAggregateId(), List.of());
            for (long sequence = from; sequence < Math.min(max, stored.size()); sequence++) {
                found.add(stored.get((int) sequence));
            }
        }
        found.forEach(out::onNext);
        out.onCompleted();
    }

    @Override
    public void listAggregateSnapshots(GetAggregateSnapshotsRequest request, StreamObserver<Event> out) {
        List<Event> found = new ArrayList<>();
        if (request.getMaxSequence() >= 0) {
            synchronized (this) {
                snapshots
                        .getOrDefault(request.getAggregateId(), new TreeMap<>())
                        .subMap(request.getInitialSequence(), true, request.getMaxSequence(), false)
                        .descendingMap()
                        .values()
                        .stream()
                        .limit(request.getMaxResults() > 0 ? request.getMaxResults() : Long.MAX_VALUE)
                        .forEach(found::add);
            }
        }
        found.forEach(out::onNext);
        out.onCompleted();
    }

    @Override
    public void readHighestSequenceNr(
            ReadHighestSequenceNrRequest request, StreamObserver<ReadHighestSequenceNrResponse> out) {
        long highest;
        synchronized (this) {
            highest = nextSequence(request.getAggregateId()) - 1;
        }
        out.onNext(ReadHighestSequenceNrResponse.newBuilder()
                .setToSequenceNr(highest)
                .build());
        out.onCompleted();
    }

    @Override
    public void getFirstToken(GetFirstTokenRequest request, StreamObserver<TrackingToken> out) {
        token(out, 0);
    }

    @Override
    public void getLastToken(GetLastTokenRequest request, StreamObserver<TrackingToken> out) {
        token(out, size() - 1);
    }

    @Override
    public void getTokenAt(GetTokenAtRequest request, StreamObserver<TrackingToken> out) {
        long token;
        synchronized (this) {
            token = events.size();
            for (int index = 0; index < events.size(); index++) {
                if (events.get(index).getTimestamp() >= request.getInstant()) {
                    token = index;
                    break;
                }
            }
        }
        token(out, token);
    }

    private synchronized int size() {
        return events.size();
    }

    private static void token(StreamObserver<TrackingToken> out, long token) {
        out.onNext(TrackingToken.newBuilder().setToken(token).build());
        out.onCompleted();
    }

    @Override
    public StreamObserver<GetEventsRequest> listEvents(StreamObserver<EventWithToken> out) {
        Tracker tracker = new Tracker((ServerCallStreamObserver<EventWithToken>) out);
        ((ServerCallStreamObserver<EventWithToken>) out).setOnCancelHandler(() -> trackers.remove(tracker));
        return new StreamObserver<>() {
            @Override
            public void onNext(GetEventsRequest request) {
                tracker.grant(request);
                if (!trackers.contains(tracker)) {
                    trackers.add(tracker);
                }
                tracker.send();
            }

            @Override
            public void onError(Throwable gone) {
                trackers.remove(tracker);
            }

            @Override
            public void onCompleted() {
                trackers.remove(tracker);
                out.onCompleted();
            }
        };
    }

    /** One tracking stream: where it is, and how many events it may still be sent. */
    private final class Tracker {

        private final ServerCallStreamObserver<EventWithToken> out;
        private long next = -1;
        private long permits;

        private Tracker(ServerCallStreamObserver<EventWithToken> out) {
            this.out = out;
        }

        private synchronized void grant(GetEventsRequest request) {
            if (next < 0) {
                next = request.getTrackingToken();
            }
            permits += request.getNumberOfPermits();
        }

        private synchronized void send() {
            while (permits > 0 && next >= 0 && !out.isCancelled()) {
                Event event;
                synchronized (EventStoreStandIn.this) {
                    if (next >= events.size()) {
                        return;
                    }
                    event = events.get((int) next);
                }
                out.onNext(EventWithToken.newBuilder()
                        .setToken(next)
                        .setEvent(event)
                        .build());
                next++;
                permits--;
            }
        }
    }
}
