package io.counterplatform.command.config;

import java.sql.SQLException;
import java.util.function.Predicate;
import org.axonframework.common.ExceptionUtils;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;

/**
 * Tells a failure that certainly stored nothing, so the command may be retried: an append refused by the event
 * store's unique (aggregate, sequence number) key, which another append won. Axon's retry scheduler asks this of
 * every link of the cause chain and retries only if each one passes. Anything else, a commit whose outcome is
 * unknown above all, goes back to the client, whose retry with the same idempotency key is then answered from
 * the store.
 */
final class LostAppendRace implements Predicate<Throwable> {

    static final String UNIQUE_VIOLATION = "23505"; // PostgreSQL's duplicate key

    @Override
    public boolean test(Throwable link) {
        return link instanceof ConcurrencyException
                || link instanceof AggregateStreamCreationException
                || isUniqueViolation(link);
    }

    /** The whole failure, every link of its cause chain, is a lost race: nothing was stored. */
    boolean isLostRace(Throwable failure) {
        return ExceptionUtils.findException(failure, negate()).isEmpty();
    }

    /** PostgreSQL's duplicate-key error. */
    static boolean isUniqueViolation(Throwable failure) {
        return failure instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState());
    }
}
