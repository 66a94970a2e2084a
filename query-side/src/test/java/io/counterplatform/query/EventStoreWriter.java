package io.counterplatform.query;

import io.counterplatform.api.counter.CounterIncremented;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.common.IdentifierFactory;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.springframework.boot.test.context.TestComponent;

/** Appends counter events the way the command side does, so the query side can be tested on its own. */
@TestComponent
public class EventStoreWriter {

    private final EventStorageEngine storageEngine;
    private final TransactionManager transactionManager;
    private final ConcurrentHashMap<String, long[]> counters = new ConcurrentHashMap<>();

    public EventStoreWriter(EventStorageEngine storageEngine, TransactionManager transactionManager) {
        this.storageEngine = storageEngine;
        this.transactionManager = transactionManager;
    }

    /** Every counter written so far, with its value and version: what any read model must end up showing. */
    public Map<String, String> expected() {
        Map<String, String> expected = new TreeMap<>();
        counters.forEach((id, state) -> {
            synchronized (state) {
                expected.put(id, "value=" + state[0] + ",version=" + state[1]);
            }
        });
        return expected;
    }

    /** Appends the counter's next increment and returns its version. */
    public long increment(String counterId, long amount) {
        return increment(counterId, amount, Map.of());
    }

    /** Appends the next increment of each counter, all in one transaction. */
    public void incrementEach(List<String> counterIds) {
        List<GenericDomainEventMessage<CounterIncremented>> events = new ArrayList<>();
        for (String counterId : counterIds) {
            long[] state = counters.computeIfAbsent(counterId, id -> new long[2]);
            synchronized (state) {
                events.add(new GenericDomainEventMessage<>(
                        "Counter",
                        counterId,
                        state[1],
                        new CounterIncremented(counterId, 1, state[0] + 1, null, state[1] + 1),
                        MetaData.emptyInstance(),
                        IdentifierFactory.getInstance().generateIdentifier(),
                        Instant.now()));
                state[0]++;
                state[1]++;
            }
        }
        transactionManager.executeInTransaction(() -> storageEngine.appendEvents(events));
    }

    /** Appends the counter's next increment with the given metadata and returns its version. */
    public long increment(String counterId, long amount, Map<String, ?> metaData) {
        return increment(counterId, amount, metaData, Instant.now());
    }

    /** Appends the counter's next increment as stored at the given instant and returns its version. */
    public long incrementAt(String counterId, long amount, Instant at) {
        return increment(counterId, amount, Map.of(), at);
    }

    private long increment(String counterId, long amount, Map<String, ?> metaData, Instant at) {
        long[] state = counters.computeIfAbsent(counterId, id -> new long[2]);
        synchronized (state) {
            long sequence = state[1];
            long value = state[0] + amount;
            transactionManager.executeInTransaction(() -> storageEngine.appendEvents(new GenericDomainEventMessage<>(
                    "Counter",
                    counterId,
                    sequence,
                    new CounterIncremented(counterId, amount, value, null, sequence + 1),
                    MetaData.from(metaData),
                    IdentifierFactory.getInstance().generateIdentifier(),
                    at)));
            state[0] = value;
            state[1] = sequence + 1;
            return state[1];
        }
    }
}
