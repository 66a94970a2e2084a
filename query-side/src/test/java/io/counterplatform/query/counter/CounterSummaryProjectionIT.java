package io.counterplatform.query.counter;

import static org.assertj.core.api.Assertions.assertThat;

import io.counterplatform.api.counter.CounterCommitted;
import io.counterplatform.api.counter.CounterIncremented;
import io.counterplatform.api.counter.CounterSlice;
import io.counterplatform.api.counter.CounterView;
import io.counterplatform.api.counter.FindCounter;
import io.counterplatform.api.counter.FindCountersAfter;
import io.counterplatform.query.IntegrationTest;
import io.counterplatform.query.readmodel.ReadModelVersion;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.axonframework.queryhandling.GenericSubscriptionQueryMessage;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.queryhandling.UpdateHandlerRegistration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The projection sets rows from events' resulting state, so duplicates and stragglers change nothing. Events are
 * handed to it as Axon's pooled processor does: a batch in one unit of work, its rows written in the batch's
 * transaction when it commits.
 */
@IntegrationTest
class CounterSummaryProjectionIT {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    @Autowired
    private CounterSummaryModel model;

    @Autowired
    private JdbcTemplate jdbc;

    private CounterSummaryProjection projection;

    @Autowired
    private CounterQueries queries;

    @Autowired
    private TransactionManager transactionManager;

    private String counterId;

    @BeforeEach
    void setUp() {
        counterId = "p-" + UUID.randomUUID();
        // a projection of the live version, as its processor has
        int live = jdbc.queryForObject("SELECT live FROM read_model WHERE name = 'counter-summary'", Integer.class);
        projection = (CounterSummaryProjection) model.projection(new ReadModelVersion("counter-summary", live));
    }

    @Test
    void anEventSetsTheRowToItsValueAndVersion() {
        batch(event(1, 5, 5));
        batch(event(2, 3, 8));

        assertThat(row()).isEqualTo(new CounterView(counterId, 8, 2, T0.plusSeconds(2)));
    }

    @Test
    void severalVersionsOfACounterInOneBatchLeaveTheLatest() {
        batch(event(1, 5, 5), event(2, 3, 8), event(3, 1, 9));

        assertThat(row()).isEqualTo(new CounterView(counterId, 9, 3, T0.plusSeconds(3)));
    }

    @Test
    void aDuplicateDeliveryChangesNothing() {
        batch(event(1, 5, 5), event(2, 3, 8));
        batch(event(2, 3, 8), event(1, 5, 5));

        assertThat(row()).isEqualTo(new CounterView(counterId, 8, 2, T0.plusSeconds(2)));
    }

    @Test
    void anOlderEventArrivingLateNeverMovesTheRowBack() {
        batch(event(3, 1, 10));
        batch(event(2, 1, 9));
        batch(event(1, 8, 8));

        assertThat(row()).isEqualTo(new CounterView(counterId, 10, 3, T0.plusSeconds(3)));
    }

    @Test
    void aBatchThatFailsToCommitLeavesNoTraceAndItsRedeliveryCounts() {
        BatchingUnitOfWork<EventMessage<?>> failing = unitOfWork(event(1, 5, 5));
        failing.onPrepareCommit(u -> {
            throw new IllegalStateException("the token could not be stored");
        });
        failing.executeWithResult(() -> handle(failing), RollbackConfigurationType.ANY_THROWABLE);

        assertThat(queries.handle(new FindCounter(counterId))).isEmpty();
        batch(event(1, 5, 5));
        assertThat(row().value()).isEqualTo(5);
    }

    @Test
    void aBatchThatHandlesEventsAgainAnnouncesOnlyTheVersionsTheRowDidNotHold(@Autowired QueryUpdateEmitter emitter) {
        batch(event(1, 5, 5), event(2, 3, 8));
        UpdateHandlerRegistration<Object> allCounters = emitter.registerUpdateHandler(
                new GenericSubscriptionQueryMessage<>(
                        new FindCountersAfter(null, 1),
                        ResponseTypes.instanceOf(CounterSlice.class),
                        ResponseTypes.instanceOf(CounterCommitted.class)),
                1024);
        try {
            batch(event(1, 5, 5), event(2, 3, 8), event(3, 1, 9), event(4, 1, 10));

            List<Long> announced = allCounters
                    .getUpdates()
                    .map(update -> ((CounterCommitted) update.getPayload()).state())
                    .filter(state -> state.counterId().equals(counterId))
                    .map(CounterView::version)
                    .take(2)
                    .collectList()
                    .block(Duration.ofSeconds(10));
            assertThat(announced).containsExactly(3L, 4L);
        } finally {
            allCounters.getRegistration().cancel();
        }
    }

    private void batch(DomainEventMessage<?>... events) {
        BatchingUnitOfWork<EventMessage<?>> batch = unitOfWork(events);
        assertThat(batch.executeWithResult(() -> handle(batch), RollbackConfigurationType.ANY_THROWABLE)
                        .isExceptional())
                .isFalse();
    }

    private BatchingUnitOfWork<EventMessage<?>> unitOfWork(DomainEventMessage<?>... events) {
        List<EventMessage<?>> messages = Arrays.asList(events);
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(messages);
        batch.attachTransaction(transactionManager);
        return batch;
    }

    private Object handle(BatchingUnitOfWork<EventMessage<?>> batch) {
        DomainEventMessage<?> message = (DomainEventMessage<?>) batch.getMessage();
        projection.on((CounterIncremented) message.getPayload(), message.getSequenceNumber(), message.getTimestamp());
        return null;
    }

    private DomainEventMessage<CounterIncremented> event(long version, long amount, long value) {
        return new GenericDomainEventMessage<>(
                "Counter",
                counterId,
                version - 1,
                new CounterIncremented(counterId, amount, value, null, version),
                MetaData.emptyInstance(),
                UUID.randomUUID().toString(),
                T0.plusSeconds(version));
    }

    private CounterView row() {
        CounterView view = queries.handle(new FindCounter(counterId)).orElseThrow();
        return new CounterView(
                view.counterId(), view.value(), view.version(), view.updatedAt().truncatedTo(ChronoUnit.MICROS));
    }
}
