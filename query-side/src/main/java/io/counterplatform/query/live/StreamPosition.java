package io.counterplatform.query.live;

import io.counterplatform.api.counter.CounterView;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** The last version each counter of one stream has been sent, so that nothing is sent twice or skipped. */
final class StreamPosition {

    private final Map<String, Long> lastSent = new ConcurrentHashMap<>();
    private final AtomicBoolean begun = new AtomicBoolean();

    static StreamPosition resumingAfter(String counterId, Long lastEventId) {
        StreamPosition position = new StreamPosition();
        if (lastEventId != null) {
            position.lastSent.put(counterId, lastEventId);
        }
        return position;
    }

    /** Called as each session begins: true for the stream's first session only. */
    boolean firstSession() {
        return !begun.getAndSet(true);
    }

    /**
     * The last version sent of the counter. For a counter not sent yet: null for a state of the current state
     * the stream began with (sent as it is), otherwise 0, since such a counter was created after the stream
     * began and every version of it belongs to the stream.
     */
    Long lastSent(String counterId, boolean beginning) {
        return lastSent.getOrDefault(counterId, beginning ? null : 0L);
    }

    void sent(CounterView view) {
        lastSent.merge(view.counterId(), view.version(), Math::max);
    }
}
