package io.counterplatform.command.counter;

import io.counterplatform.api.counter.CounterIncremented;
import io.counterplatform.api.counter.IncrementRejection.Reason;
import io.counterplatform.command.config.CommandSettings;
import io.counterplatform.support.history.CounterEventReader;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Idempotency keys in PostgreSQL, one row per counter and key naming the versions its increment was given (one per
 * try whose record was written). Whether the increment was stored is the event store's to say: the event at one of
 * those versions carries the key, or none does. The record is written before the append, in the unit of work's
 * transaction when there is one (the JDBC event store: row and event commit together) and committed at once
 * otherwise (Axon Server), so an event never carries a key its row does not name.
 *
 * <p>A try that never reached the store cannot reach it later once another event holds its version, and one that is
 * still under way holds a version the counter has not reached yet: a retry appends at the counter's next version,
 * the same or an earlier one, and the store's unique sequence numbers let only one of them in.
 */
@Component
class KeyTable implements IdempotencyKeys {

    private static final Logger log = LoggerFactory.getLogger(KeyTable.class);
    private static final String RESERVED = KeyTable.class.getName() + ".reserved";
    private static final int SWEEP_CHUNK = 10_000;

    private final JdbcClient jdbc;
    private final CounterEventReader events;
    private final long retentionMillis;

    KeyTable(JdbcClient jdbc, CounterEventReader events, CommandSettings settings) {
        this.jdbc = jdbc;
        this.events = events;
        this.retentionMillis = settings.idempotency().retention().toMillis();
    }

    @Override
    public Optional<CounterIncremented> firstUse(String counterId, String idempotencyKey, long version) {
        Reserved batch = reserved();
        CounterIncremented inThisBatch = batch.increments.get(new Use(counterId, idempotencyKey));
        if (inThisBatch != null) {
            return Optional.of(inThisBatch);
        }
        if (batch.unreachable) {
            throw unavailable(version);
        }
        try {
            return storedFirstUse(counterId, idempotencyKey, version);
        } catch (RuntimeException unreachable) {
            // refused alone on Axon Server, where the other commands need no key; in the JDBC store the failed
            // statement ends the batch's transaction too, so the whole batch answers 503 and stores nothing
            log.warn("Idempotency key of counter {} not checked: {}", counterId, unreachable.toString());
            batch.unreachable = true; // and the batch's other keyed commands are refused at once
            throw unavailable(version);
        }
    }

    private static IncrementRefused unavailable(long version) {
        return new IncrementRefused(
                Reason.IDEMPOTENCY_KEYS_UNAVAILABLE,
                "whether this Idempotency-Key was used cannot be checked now; retry the increment with it",
                version);
    }

    private Optional<CounterIncremented> storedFirstUse(String counterId, String idempotencyKey, long version) {
        Optional<Long[]> versions = jdbc.sql("""
                        SELECT versions FROM idempotency_key
                        WHERE counter_id = ? AND idempotency_key = ?
                          AND first_used_at > now() - ? * interval '1 millisecond'""")
                .params(counterId, idempotencyKey, retentionMillis)
                .query((row, number) -> (Long[]) row.getArray(1).getArray())
                .optional();
        // newest first: a version past the counter's is a try still under way, which this command's append excludes
        return versions.stream()
                .flatMap(Arrays::stream)
                .filter(candidate -> candidate <= version)
                .sorted((a, b) -> Long.compare(b, a))
                .map(candidate -> storedAt(counterId, candidate))
                .flatMap(Optional::stream)
                .filter(stored -> idempotencyKey.equals(stored.idempotencyKey()))
                .findFirst();
    }

    @Override
    public void reserve(CounterIncremented increment) {
        reserved().increments.put(new Use(increment.counterId(), increment.idempotencyKey()), increment);
    }

    /** Deletes the keys past their retention, a chunk at a time; lookups ignore them already. */
    @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
    void sweep() {
        int deleted;
        do {
            deleted = jdbc.sql("""
                            DELETE FROM idempotency_key WHERE ctid = ANY (ARRAY(
                                SELECT ctid FROM idempotency_key
                                WHERE first_used_at <= now() - ? * interval '1 millisecond' LIMIT ?))""").params(retentionMillis, SWEEP_CHUNK).update();
            log.debug("Deleted {} expired idempotency keys", deleted);
        } while (deleted == SWEEP_CHUNK);
    }

    private Optional<CounterIncremented> storedAt(String counterId, long version) {
        return events.read(counterId, version - 1, version - 1).stream()
                .map(event -> event.getPayload())
                .filter(CounterIncremented.class::isInstance)
                .map(CounterIncremented.class::cast)
                .findFirst();
    }

    /**
     * The keys reserved in this batch's unit of work, written in one statement as it prepares to commit: before
     * the append on Axon Server (which appends as the unit commits), in the same transaction on the JDBC store.
     */
    private Reserved reserved() {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        return batch.getOrComputeResource(RESERVED, name -> {
            Reserved reserved = new Reserved();
            batch.onPrepareCommit(unit -> write(reserved.increments));
            return reserved;
        });
    }

    private void write(Map<Use, CounterIncremented> reserved) {
        if (reserved.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        INSERT INTO idempotency_key AS k (counter_id, idempotency_key, versions, first_used_at)
                        SELECT counter_id, idempotency_key, ARRAY[version], now()
                        FROM unnest(?::varchar[], ?::varchar[], ?::bigint[]) AS r(counter_id, idempotency_key, version)
                        ON CONFLICT (counter_id, idempotency_key) DO UPDATE SET
                            versions = CASE
                                WHEN k.first_used_at <= now() - ? * interval '1 millisecond' THEN excluded.versions
                                WHEN excluded.versions[1] = ANY (k.versions) THEN k.versions
                                ELSE array_append(k.versions, excluded.versions[1]) END,
                            first_used_at = CASE WHEN k.first_used_at > now() - ? * interval '1 millisecond'
                                THEN k.first_used_at ELSE excluded.first_used_at END""")
                .params(
                        reserved.keySet().stream().map(Use::counterId).toArray(String[]::new),
                        reserved.keySet().stream().map(Use::idempotencyKey).toArray(String[]::new),
                        reserved.values().stream()
                                .map(CounterIncremented::version)
                                .toArray(Long[]::new),
                        retentionMillis,
                        retentionMillis)
                .update();
    }

    /** A key on a counter. */
    private record Use(String counterId, String idempotencyKey) {}

    /** A batch's reserved keys, and whether the table has already failed it. */
    private static final class Reserved {
        private final Map<Use, CounterIncremented> increments = new LinkedHashMap<>();
        private boolean unreachable;
    }
}
