package io.counterplatform.query.counter;

import io.counterplatform.api.counter.CounterIncremented;
import io.counterplatform.api.counter.CounterView;
import io.counterplatform.api.counter.FindCounter;
import io.counterplatform.api.counter.FindCounters;
import io.counterplatform.query.replay.ProjectionRebuilds;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code counter_summary} in step with the events. The row and the processor's token commit in one
 * transaction; subscribers hear of the change after that commit.
 */
@Component
@ProcessingGroup(CounterSummaryProjection.NAME)
class CounterSummaryProjection {

    static final String NAME = "counter-summary";

    private final CounterSummaryRepository counters;
    private final QueryUpdateEmitter updates;
    private final ProjectionRebuilds rebuilds;
    private final JdbcTemplate jdbc;

    CounterSummaryProjection(
            CounterSummaryRepository counters,
            QueryUpdateEmitter updates,
            ProjectionRebuilds rebuilds,
            JdbcTemplate jdbc) {
        this.counters = counters;
        this.updates = updates;
        this.rebuilds = rebuilds;
        this.jdbc = jdbc;
    }

    /** This batch's writes to the shadow, made when it commits, in key order like the rebuild's. */
    private ShadowWrites shadowWrites() {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        return batch.getOrComputeResource(ShadowWrites.class.getName(), key -> {
            ShadowWrites writes = new ShadowWrites();
            batch.onPrepareCommit(committing -> writes.flushTo(jdbc));
            return writes;
        });
    }

    @EventHandler
    void on(CounterIncremented event, @SequenceNumber long sequenceNumber, @Timestamp Instant timestamp) {
        long version = sequenceNumber + 1;
        if (rebuilds.isRebuilding(NAME)) {
            // the rebuilt model must not miss what happens while it is being built
            shadowWrites().add(new CounterView(event.counterId(), event.value(), version, timestamp));
        }
        if (counters.upsert(event.counterId(), event.value(), version, timestamp) > 0) {
            CounterView view = new CounterView(event.counterId(), event.value(), version, timestamp);
            updates.emit(FindCounter.class, query -> query.counterId().equals(event.counterId()), view);
            updates.emit(FindCounters.class, query -> true, view);
        }
    }
}
