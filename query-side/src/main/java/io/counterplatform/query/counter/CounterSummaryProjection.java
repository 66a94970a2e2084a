package io.counterplatform.query.counter;

import io.counterplatform.api.counter.CounterCommitted;
import io.counterplatform.api.counter.CounterIncremented;
import io.counterplatform.api.counter.CounterView;
import io.counterplatform.api.counter.FindCounter;
import io.counterplatform.api.counter.FindCountersAfter;
import io.counterplatform.query.readmodel.ReadModel;
import io.counterplatform.query.readmodel.ReadModelTable;
import io.counterplatform.query.readmodel.ReadModelVersion;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.queryhandling.SubscriptionQueryMessage;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Keeps one version of {@code counter_summary} in step with the events. A processor batch collects its states and
 * writes them when it commits, in the same transaction as the processor's token; while its version is live,
 * subscribers hear of every version after that commit.
 */
class CounterSummaryProjection {

    private final JdbcClient jdbc;
    private final QueryUpdateEmitter updates;
    private final ReadModelVersion version;
    private final ReadModelTable models;

    CounterSummaryProjection(
            JdbcClient jdbc, QueryUpdateEmitter updates, ReadModelVersion version, ReadModelTable models) {
        this.jdbc = jdbc;
        this.updates = updates;
        this.version = version;
        this.models = models;
    }

    @EventHandler
    void on(CounterIncremented event, @SequenceNumber long sequenceNumber, @Timestamp Instant timestamp) {
        ReadModel.perBatch(StateBatch.class.getName(), StateBatch::new, this::write)
                .add(new CounterView(event.counterId(), event.value(), sequenceNumber + 1, timestamp));
    }

    private void write(StateBatch states) {
        StateBatch.Stored moved = states.writeTo(jdbc, version.table());
        // asked after writing: a switch of versions holds this table's writes, so the answer is the one this batch
        // commits under (ReadModels#switchOver)
        if (models.isLive(version)) {
            CurrentUnitOfWork.get().afterCommit(committed -> publish(states, moved));
        }
    }

    /**
     * Every new version of every counter that moved, in order, once it is committed (a batch that handles an event
     * again after a restart announces only what the row did not hold); to streams of all counters with the
     * transaction that stored it.
     */
    private void publish(StateBatch states, StateBatch.Stored moved) {
        // an update message costs its correlation data even when nobody listens: ask who listens first
        Set<String> watched = new HashSet<>();
        boolean anyoneWatchesAll = false;
        for (SubscriptionQueryMessage<?, ?, ?> subscription : updates.activeSubscriptions()) {
            if (subscription.getPayload() instanceof FindCounter one) {
                watched.add(one.counterId());
            } else if (subscription.getPayload() instanceof FindCountersAfter) {
                anyoneWatchesAll = true;
            }
        }
        for (Map.Entry<String, Long> counter : moved.moved().entrySet()) {
            String counterId = counter.getKey();
            if (!anyoneWatchesAll && !watched.contains(counterId)) {
                continue;
            }
            for (CounterView version : states.after(counterId, counter.getValue())) {
                if (watched.contains(counterId)) {
                    updates.emit(FindCounter.class, query -> query.counterId().equals(counterId), version);
                }
                if (anyoneWatchesAll) {
                    updates.emit(
                            FindCountersAfter.class, query -> true, new CounterCommitted(version, moved.transaction()));
                }
            }
        }
    }
}
