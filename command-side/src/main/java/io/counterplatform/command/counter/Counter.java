package io.counterplatform.command.counter;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.counterplatform.api.counter.CounterIncremented;
import io.counterplatform.api.counter.CounterRules;
import io.counterplatform.api.counter.IncrementCounter;
import io.counterplatform.api.counter.IncrementRejection.Reason;
import io.counterplatform.api.counter.IncrementResult;
import java.util.LinkedHashMap;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A counter: created by its first increment, never goes past {@link Long#MAX_VALUE}, and answers a retried
 * command (same idempotency key) as it answered the first time.
 */
@Aggregate(
        snapshotTriggerDefinition = "counterSnapshotTrigger",
        cache = "counterCache",
        commandTargetResolver = "counterTargetResolver")
// Snapshots are the aggregate itself through Jackson: its fields, not getters, are the state.
@JsonAutoDetect(
        fieldVisibility = Visibility.ANY,
        getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
class Counter {

    @AggregateIdentifier
    private String counterId;

    private long value;
    private long version;
    private LinkedHashMap<String, RecentIncrement> recentKeys = new LinkedHashMap<>();

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    IncrementResult handle(IncrementCounter command) {
        RecentIncrement earlier = command.idempotencyKey() == null ? null : recentKeys.get(command.idempotencyKey());
        if (earlier != null) {
            return replay(command, earlier);
        }
        if (command.expectedVersion() != null && command.expectedVersion() != version) {
            throw new IncrementRefused(
                    Reason.VERSION_MISMATCH,
                    "counter is at version " + version + ", not " + command.expectedVersion(),
                    version);
        }
        long newValue;
        try {
            newValue = Math.addExact(value, command.amount());
        } catch (ArithmeticException overflow) {
            throw new IncrementRefused(
                    Reason.OVERFLOW,
                    "value " + value + " + " + command.amount() + " would pass " + Long.MAX_VALUE,
                    version);
        }
        apply(new CounterIncremented(
                command.counterId(), command.amount(), newValue, command.idempotencyKey(), version + 1));
        return new IncrementResult(command.counterId(), value, version, false);
    }

    private IncrementResult replay(IncrementCounter command, RecentIncrement earlier) {
        if (earlier.amount() != command.amount()) {
            throw new IncrementRefused(
                    Reason.IDEMPOTENCY_KEY_REUSED,
                    "Idempotency-Key was first used with amount " + earlier.amount() + ", not " + command.amount(),
                    version);
        }
        return new IncrementResult(counterId, earlier.value(), earlier.version(), true);
    }

    @EventSourcingHandler
    void on(CounterIncremented event) {
        counterId = event.counterId();
        value = event.value();
        version = event.version();
        if (event.idempotencyKey() != null) {
            recentKeys.put(event.idempotencyKey(), new RecentIncrement(event.amount(), value, version));
            if (recentKeys.size() > CounterRules.REMEMBERED_IDEMPOTENCY_KEYS) {
                recentKeys.remove(recentKeys.keySet().iterator().next()); // the oldest
            }
        }
    }
}
