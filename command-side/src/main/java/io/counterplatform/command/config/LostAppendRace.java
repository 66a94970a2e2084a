package io.counterplatform.command.config;

import io.grpc.StatusRuntimeException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import org.axonframework.axonserver.connector.event.util.GrpcExceptionParser;
import org.axonframework.common.ExceptionUtils;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;

/**
 * Tells a failure that certainly stored nothing, so that its batch may be handled again: an append refused because
 * another append took its sequence number, by PostgreSQL's unique key (JDBC store) or by Axon Server's sequence check,
 * or a transaction PostgreSQL aborted to break a deadlock between two instances' batches. The store's own verdict
 * decides, wherever in the cause chain it is; anything else, a commit whose outcome is unknown above all, goes back to
 * the client, whose retry with the same idempotency key is then answered from the store.
 */
final class LostAppendRace {

    static final String UNIQUE_VIOLATION = "23505"; // PostgreSQL's duplicate key
    /** PostgreSQL's states of a statement that failed and took its transaction with it, storing nothing. */
    private static final Set<String> NOTHING_STORED = Set.of(UNIQUE_VIOLATION, "40P01", "40001");

    private LostAppendRace() {}

    static boolean isLostRace(Throwable failure) {
        Optional<SQLException> database = ExceptionUtils.findException(failure, SQLException.class);
        if (database.isPresent()) {
            return NOTHING_STORED.contains(database.get().getSQLState());
        }
        // Axon Server's refusal arrives as the gRPC status itself, its code in the trailers
        Optional<StatusRuntimeException> server = ExceptionUtils.findException(failure, StatusRuntimeException.class);
        if (server.isPresent()) {
            return GrpcExceptionParser.parse(server.get()) instanceof ConcurrencyException;
        }
        return ExceptionUtils.findException(
                        failure,
                        link -> !(link instanceof ConcurrencyException
                                || link instanceof AggregateStreamCreationException))
                .isEmpty();
    }
}
