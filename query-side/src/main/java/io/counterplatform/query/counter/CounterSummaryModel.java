package io.counterplatform.query.counter;

import io.counterplatform.api.counter.CounterView;
import io.counterplatform.api.counter.FindCounter;
import io.counterplatform.api.counter.FindCountersAfter;
import io.counterplatform.query.readmodel.ReadModel;
import io.counterplatform.query.readmodel.ReadModelTable;
import io.counterplatform.query.readmodel.ReadModelVersion;
import java.util.List;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.queryhandling.SubscriptionQueryMessage;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** {@code counter_summary}: every counter's latest state, the model the counter queries and live streams read. */
@Component
class CounterSummaryModel implements ReadModel {

    private final JdbcClient jdbc;
    private final QueryUpdateEmitter updates;
    private final ReadModelTable models;

    CounterSummaryModel(JdbcClient jdbc, QueryUpdateEmitter updates, ReadModelTable models) {
        this.jdbc = jdbc;
        this.updates = updates;
        this.models = models;
    }

    @Override
    public String name() {
        return "counter-summary";
    }

    @Override
    public Object projection(ReadModelVersion version) {
        return new CounterSummaryProjection(jdbc, updates, version, models);
    }

    /**
     * Only the live version announces what it stores. The counters watched here that the new version holds further
     * than the old one did are announced as it takes over (a stream of one counter fills what lies between from
     * the event store); streams of all counters end, and their clients' reconnects walk the new version.
     */
    @Override
    public void switching(ReadModelVersion from, ReadModelVersion to) {
        String[] watched = updates.activeSubscriptions().stream()
                .map(SubscriptionQueryMessage::getPayload)
                .filter(FindCounter.class::isInstance)
                .map(query -> ((FindCounter) query).counterId())
                .distinct()
                .toArray(String[]::new);
        List<CounterView> ahead = jdbc.sql("""
                        SELECT newer.* FROM %s AS newer LEFT JOIN %s AS older USING (counter_id)
                         WHERE newer.counter_id = ANY (?) AND (older.version IS NULL OR older.version < newer.version)
                        """.formatted(to.table(), from.table()))
                .param(watched)
                .query(CounterQueries.VIEW)
                .list();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                ahead.forEach(state -> updates.emit(
                        FindCounter.class, query -> query.counterId().equals(state.counterId()), state));
                updates.complete(FindCountersAfter.class, query -> true);
            }
        });
    }
}
