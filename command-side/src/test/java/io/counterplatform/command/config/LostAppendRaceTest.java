package io.counterplatform.command.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.SocketException;
import java.sql.BatchUpdateException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.springframework.transaction.TransactionSystemException;

/** Only a failure that certainly stored nothing makes a batch be handled again. */
class LostAppendRaceTest {

    @Test
    void anAppendRefusedByTheUniqueSequenceNumberIsALostRace() {
        assertThat(LostAppendRace.isLostRace(
                        new ConcurrencyException("sequence taken", batchFailure(PSQLState.UNIQUE_VIOLATION))))
                .isTrue();
        assertThat(LostAppendRace.isLostRace(new AggregateStreamCreationException("counter created meanwhile")))
                .isTrue();
    }

    @Test
    void aTransactionPostgresAbortedToBreakADeadlockIsALostRace() {
        assertThat(LostAppendRace.isLostRace(new EventStoreException(
                        "event could not be persisted", batchFailure(PSQLState.DEADLOCK_DETECTED))))
                .isTrue();
        assertThat(LostAppendRace.isLostRace(new org.springframework.dao.CannotAcquireLockException(
                        "key upsert", new PSQLException("deadlock detected", PSQLState.DEADLOCK_DETECTED))))
                .isTrue();
    }

    @Test
    void anAppendRefusedByAxonServersSequenceCheckIsALostRace() {
        assertThat(LostAppendRace.isLostRace(axonServerRefusal("AXONIQ-2000"))).isTrue();
    }

    @Test
    void anyOtherRefusalOfAxonServerIsNot() {
        assertThat(LostAppendRace.isLostRace(axonServerRefusal("AXONIQ-2100"))).isFalse(); // no leader
        assertThat(LostAppendRace.isLostRace(Status.UNAVAILABLE.asRuntimeException()))
                .isFalse();
    }

    @Test
    void anAppendCutOffFromTheDatabaseIsNot() {
        BatchUpdateException cutOff = batchFailure(PSQLState.CONNECTION_FAILURE);
        cutOff.getCause().initCause(new SocketException("Broken pipe"));

        assertThat(LostAppendRace.isLostRace(new EventStoreException("event could not be persisted", cutOff)))
                .isFalse();
    }

    @Test
    void aCommitWhoseOutcomeIsUnknownIsNot() {
        assertThat(LostAppendRace.isLostRace(new TransactionSystemException(
                        "commit failed",
                        new PSQLException(
                                "terminating connection due to administrator command", PSQLState.CONNECTION_FAILURE))))
                .isFalse();
    }

    @Test
    void aConcurrencyFailureCausedByAnythingButTheUniqueKeyIsNot() {
        assertThat(LostAppendRace.isLostRace(
                        new ConcurrencyException("odd", batchFailure(PSQLState.CONNECTION_FAILURE))))
                .isFalse();
    }

    /** As Axon Server answers an append it refuses: a gRPC status with its error code in the trailers. */
    private static StatusRuntimeException axonServerRefusal(String code) {
        Metadata trailers = new Metadata();
        trailers.put(Metadata.Key.of("AxonIQ-ErrorCode", Metadata.ASCII_STRING_MARSHALLER), code);
        return Status.OUT_OF_RANGE.withDescription("refused").asRuntimeException(trailers);
    }

    private static BatchUpdateException batchFailure(PSQLState state) {
        BatchUpdateException batch = new BatchUpdateException("batch entry 0 failed", state.getState(), new int[0]);
        batch.initCause(new PSQLException("insert failed", state));
        return batch;
    }
}
