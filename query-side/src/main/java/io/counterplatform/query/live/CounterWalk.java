package io.counterplatform.query.live;

import io.counterplatform.api.counter.CounterCommitted;
import io.counterplatform.api.counter.CounterSlice;
import io.counterplatform.api.counter.CounterView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import reactor.core.Exceptions;

/**
 * One session of the stream of all counters: every counter's current state, read a slice at a time by id, merged
 * with the changes committed meanwhile, without remembering a version per counter. Each slice comes with the
 * snapshot it was read in: a change to one of its counters that the snapshot saw is in the slice already and is
 * dropped, a later one is sent after it. A change to a counter whose slice is being read waits for it; one beyond
 * that slice is dropped, since the next read begins after the change was committed and so holds it. Between two
 * reads (a walk is paced) a later version of a counter not yet walked is dropped for the same reason. A counter whose
 * first version arrives before its slice was born during the walk: its versions are sent as they arrive, its slice
 * skips it, and it is remembered only until it has been sent as far as its slice saw it. Ids compare as PostgreSQL
 * compares them (the column's collation is {@code "C"}, code point order). Not thread safe: fed one slice or change
 * at a time.
 */
final class CounterWalk {

    private final int sliceSize;
    private final int maxWaiting;
    private final Consumer<String> readAfter;
    private final NavigableMap<String, DatabaseSnapshot> walked = new TreeMap<>(); // by the last id of each slice
    private final List<CounterCommitted> waiting = new ArrayList<>();
    private final Map<String, Born> born = new HashMap<>();
    private DatabaseSnapshot rest; // the last slice's, which holds every id after those before it
    private boolean reading; // until the first read begins, every change is left to it

    /**
     * {@code readAfter}: asks for the slice after an id, whose read announces itself to {@link #reading} as it
     * begins and whose answer comes back to {@link #slice};
     * {@code maxWaiting}: changes that may wait for one read (more: an overflow, the database is stalled).
     */
    CounterWalk(int sliceSize, int maxWaiting, Consumer<String> readAfter) {
        this.sliceSize = sliceSize;
        this.maxWaiting = maxWaiting;
        this.readAfter = readAfter;
    }

    /** What a slice sends: its states, then the changes that waited for it and that it did not see. */
    List<CounterView> slice(CounterSlice slice) {
        DatabaseSnapshot snapshot = DatabaseSnapshot.parse(slice.snapshot());
        boolean last = slice.items().size() < sliceSize;
        String end = last ? null : slice.items().get(sliceSize - 1).counterId();
        if (last) {
            rest = snapshot;
        } else {
            walked.put(end, snapshot);
        }
        List<CounterView> send = new ArrayList<>(slice.items());
        send.removeIf(state -> born.containsKey(state.counterId()));
        for (CounterView state : slice.items()) {
            born.computeIfPresent(state.counterId(), (id, counter) -> counter.sawUpTo(state.version()));
        }
        // born after the snapshot: every version of it is later than the slice, and is sent by the rule above
        born.entrySet()
                .removeIf(counter ->
                        counter.getValue().sliceVersion == Long.MAX_VALUE && snapshotFor(counter.getKey()) != null);
        for (CounterCommitted change : waiting) {
            boolean inSlice = last || change.state().counterId().compareTo(end) <= 0;
            if (inSlice && !snapshot.sees(change.transaction())) {
                send.add(change.state());
            }
        }
        waiting.clear();
        reading = false;
        if (!last) {
            readAfter.accept(end);
        }
        return send;
    }

    /** A read begins: from here on, a change to a counter not yet walked may be in its slice or not. */
    List<CounterView> reading() {
        reading = true;
        return List.of();
    }

    /** What a change sends: itself, unless the slice of its counter saw it; nothing yet while that slice is read. */
    List<CounterView> change(CounterCommitted change) {
        String counterId = change.state().counterId();
        DatabaseSnapshot snapshot = snapshotFor(counterId);
        if (snapshot == null && change.state().version() == 1) {
            born.put(counterId, new Born());
        }
        if (born.containsKey(counterId)) {
            born.computeIfPresent(
                    counterId, (id, counter) -> counter.sent(change.state().version()));
            return List.of(change.state());
        }
        if (snapshot == null) {
            if (!reading) {
                return List.of(); // the next read begins after this change was committed, and holds it
            }
            if (waiting.size() == maxWaiting) {
                throw Exceptions.failWithOverflow("more changes than " + maxWaiting + " arrived during one read");
            }
            waiting.add(change);
            return List.of();
        }
        return snapshot.sees(change.transaction()) ? List.of() : List.of(change.state());
    }

    /** Counters remembered: born during the walk and not yet past their slice, or waiting for one. */
    int remembered() {
        return born.size() + waiting.size();
    }

    /** The snapshot of the slice that holds the id, null while that slice has not been read. */
    private DatabaseSnapshot snapshotFor(String counterId) {
        Map.Entry<String, DatabaseSnapshot> slice = walked.ceilingEntry(counterId);
        return slice != null ? slice.getValue() : rest;
    }

    /** A counter born during the walk: the last version sent, and the one its slice saw (none yet: MAX_VALUE). */
    private static final class Born {
        private long lastSent;
        private long sliceVersion = Long.MAX_VALUE;

        /** Itself, or null (forgotten) once it has been sent as far as its slice saw it. */
        Born sent(long version) {
            lastSent = version;
            return lastSent >= sliceVersion ? null : this;
        }

        Born sawUpTo(long version) {
            sliceVersion = version;
            return lastSent >= sliceVersion ? null : this;
        }
    }
}
