package io.counterplatform.command.config;

import io.grpc.StatusRuntimeException;
import java.sql.SQLException;
import org.axonframework.axonserver.connector.AxonServerException;
import org.axonframework.axonserver.connector.ErrorCode;
import org.axonframework.axonserver.connector.event.util.GrpcExceptionParser;
import org.axonframework.common.ExceptionUtils;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;

/**
 * Tells a failure that certainly stored nothing, so that its batch may be handled again: an append refused because
 * another append took its sequence number, by PostgreSQL's unique key (JDBC store) or by Axon Server's sequence check.
 * Every link of the cause chain must say so; anything else, a commit whose outcome is unknown above all, goes back to
 * the client, whose retry with the same idempotency key is then answered from the store.
 */
final class LostAppendRace {

    static final String UNIQUE_VIOLATION = "23505"; // PostgreSQL's duplicate key

    private LostAppendRace() {}

    static boolean isLostRace(Throwable failure) {
        return ExceptionUtils.findException(failure, link -> !isRaceLink(link)).isEmpty();
    }

    private static boolean isRaceLink(Throwable link) {
        return link instanceof ConcurrencyException
                || link instanceof AggregateStreamCreationException
                || link instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())
                // Axon Server's refusal arrives as the gRPC status itself, its code in the trailers
                || link instanceof StatusRuntimeException
                        && GrpcExceptionParser.parse(link) instanceof ConcurrencyException
                || link instanceof AxonServerException server && server.errorCode() == ErrorCode.INVALID_EVENT_SEQUENCE;
    }
}
