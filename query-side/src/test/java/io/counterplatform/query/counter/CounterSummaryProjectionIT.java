package io.counterplatform.query.counter;

import static org.assertj.core.api.Assertions.assertThat;

import io.counterplatform.api.counter.CounterIncremented;
import io.counterplatform.api.counter.CounterView;
import io.counterplatform.query.IntegrationTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/** The projection sets rows from events' resulting state, so duplicates and stragglers change nothing. */
@IntegrationTest
class CounterSummaryProjectionIT {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    @Autowired
    private CounterSummaryProjection projection;

    @Autowired
    private CounterSummaryRepository repository;

    @Autowired
    private TransactionTemplate transaction;

    private String counterId;

    @BeforeEach
    void setUp() {
        counterId = "p-" + UUID.randomUUID();
    }

    @Test
    void anEventSetsTheRowToItsValueAndVersion() {
        deliver(1, 5, 5);
        deliver(2, 3, 8);

        assertThat(row()).isEqualTo(new CounterView(counterId, 8, 2, T0.plusSeconds(2)));
    }

    @Test
    void aDuplicateDeliveryChangesNothing() {
        deliver(1, 5, 5);
        deliver(2, 3, 8);
        deliver(2, 3, 8);
        deliver(1, 5, 5);

        assertThat(row()).isEqualTo(new CounterView(counterId, 8, 2, T0.plusSeconds(2)));
    }

    @Test
    void anOlderEventArrivingLateNeverMovesTheRowBack() {
        deliver(3, 1, 10);
        deliver(2, 1, 9);
        deliver(1, 8, 8);

        assertThat(row()).isEqualTo(new CounterView(counterId, 10, 3, T0.plusSeconds(3)));
    }

    @Test
    void aRedeliveryAfterARolledBackBatchLeavesNoTrace() {
        try {
            transaction.executeWithoutResult(status -> {
                projection.on(event(1, 5, 5), 0, T0.plusSeconds(1));
                status.setRollbackOnly();
            });
        } finally {
            assertThat(repository.findById(counterId)).isEmpty();
        }
        deliver(1, 5, 5);

        assertThat(row().value()).isEqualTo(5);
    }

    private void deliver(long version, long amount, long value) {
        transaction.executeWithoutResult(
                status -> projection.on(event(version, amount, value), version - 1, T0.plusSeconds(version)));
    }

    private CounterIncremented event(long version, long amount, long value) {
        return new CounterIncremented(counterId, amount, value, null, version);
    }

    private CounterView row() {
        CounterView view = repository.findById(counterId).orElseThrow().toView();
        return new CounterView(
                view.counterId(), view.value(), view.version(), view.updatedAt().truncatedTo(ChronoUnit.MICROS));
    }
}
