package io.counterplatform.query.live;

import io.counterplatform.api.counter.CounterView;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The last version each counter of one stream has been sent, so that nothing is sent twice or skipped. */
final class StreamPosition {

    private final Map<String, Long> lastSent = new ConcurrentHashMap<>();

    static StreamPosition resumingAfter(String counterId, Long lastEventId) {
        StreamPosition position = new StreamPosition();
        if (lastEventId != null) {
            position.lastSent.put(counterId, lastEventId);
        }
        return position;
    }

    /** Null if nothing was sent for this counter yet: the next state is sent as it is. */
    Long lastSent(String counterId) {
        return lastSent.get(counterId);
    }

    void sent(CounterView view) {
        lastSent.merge(view.counterId(), view.version(), Math::max);
    }
}
