package io.counterplatform.command.counter;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.counterplatform.api.counter.CounterIncremented;
import io.counterplatform.api.counter.IncrementCounter;
import io.counterplatform.api.counter.IncrementRejection.Reason;
import io.counterplatform.api.counter.IncrementResult;
import java.util.Optional;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A counter: created by its first increment, never goes past {@link Long#MAX_VALUE}, and answers a retried
 * command (same idempotency key) as it answered the first time. Its keys live in {@link IdempotencyKeys}, not in
 * its state, so neither the counter nor its snapshot grows with its rate.
 */
@Aggregate(
        snapshotTriggerDefinition = "counterSnapshotTrigger",
        cache = "counterCache",
        commandTargetResolver = "counterTargetResolver")
// Snapshots are the aggregate itself through Jackson: its fields, not getters, are the state. Snapshots of older
// versions, which also held recent idempotency keys, still load.
@JsonAutoDetect(
        fieldVisibility = Visibility.ANY,
        getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
@JsonIgnoreProperties(ignoreUnknown = true)
class Counter {

    @AggregateIdentifier
    private String counterId;

    private long value;
    private long version;

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    IncrementResult handle(IncrementCounter command, IdempotencyKeys keys, StoredVersions stored) {
        // A new counter is named before its first event: a refusal keeps it in its batch's unit of work, which
        // commits (the batch's other commands do), and Axon saves and caches it as it is, a counter at version 0.
        counterId = command.counterId();
        String key = command.idempotencyKey();
        Optional<CounterIncremented> earlier =
                key == null ? Optional.empty() : keys.firstUse(command.counterId(), key, version);
        if (earlier.isPresent()) {
            return replay(command, earlier.get());
        }
        if (command.expectedVersion() != null && command.expectedVersion() != version) {
            if (stored.of(counterId) > version) {
                // another instance stored versions this cached counter has not seen: the mismatch (or the match)
                // is decided on the fresh state, which a retried key's first use may be part of too
                throw new ConcurrencyException("counter " + counterId + " is at a later version in the store");
            }
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
        CounterIncremented increment =
                new CounterIncremented(command.counterId(), command.amount(), newValue, key, version + 1);
        if (key != null) {
            keys.reserve(increment);
        }
        apply(increment);
        return new IncrementResult(command.counterId(), value, version, false);
    }

    private IncrementResult replay(IncrementCounter command, CounterIncremented earlier) {
        if (earlier.amount() != command.amount()) {
            throw new IncrementRefused(
                    Reason.IDEMPOTENCY_KEY_REUSED,
                    "Idempotency-Key was first used with amount " + earlier.amount() + ", not " + command.amount(),
                    version);
        }
        return new IncrementResult(earlier.counterId(), earlier.value(), earlier.version(), true);
    }

    @EventSourcingHandler
    void on(CounterIncremented event) {
        counterId = event.counterId();
        value = event.value();
        version = event.version();
    }
}
