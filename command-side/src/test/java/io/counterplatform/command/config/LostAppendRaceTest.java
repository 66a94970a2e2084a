package io.counterplatform.command.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketException;
import java.sql.BatchUpdateException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.springframework.transaction.TransactionSystemException;

/** Only a failure that certainly stored nothing is retried by the gateway, as Axon's retry scheduler sees it. */
class LostAppendRaceTest {

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final IntervalRetryScheduler scheduler = IntervalRetryScheduler.builder()
            .retryExecutor(executor)
            .retryInterval(1)
            .maxRetryCount(3)
            .nonTransientFailurePredicate(new LostAppendRace().negate())
            .build();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void anAppendRefusedByTheUniqueSequenceNumberIsRetried() {
        assertThat(retried(new ConcurrencyException("sequence taken", batchFailure(PSQLState.UNIQUE_VIOLATION))))
                .isTrue();
        assertThat(retried(new AggregateStreamCreationException("counter created meanwhile")))
                .isTrue();
    }

    @Test
    void anAppendCutOffFromTheDatabaseIsNotRetried() {
        BatchUpdateException cutOff = batchFailure(PSQLState.CONNECTION_FAILURE);
        cutOff.getCause().initCause(new SocketException("Broken pipe"));

        assertThat(retried(new EventStoreException("event could not be persisted", cutOff)))
                .isFalse();
    }

    @Test
    void aCommitWhoseOutcomeIsUnknownIsNotRetried() {
        assertThat(retried(new TransactionSystemException(
                        "commit failed",
                        new PSQLException(
                                "terminating connection due to administrator command", PSQLState.CONNECTION_FAILURE))))
                .isFalse();
    }

    @Test
    void aConcurrencyFailureCausedByAnythingButTheUniqueKeyIsNotRetried() {
        assertThat(retried(new ConcurrencyException("odd", batchFailure(PSQLState.CONNECTION_FAILURE))))
                .isFalse();
    }

    private boolean retried(RuntimeException failure) {
        return scheduler.scheduleRetry(
                GenericCommandMessage.asCommandMessage("increment"), failure, List.of(), () -> {});
    }

    private static BatchUpdateException batchFailure(PSQLState state) {
        BatchUpdateException batch = new BatchUpdateException("batch entry 0 failed", state.getState(), new int[0]);
        batch.initCause(new PSQLException("insert failed", state));
        return batch;
    }
}
