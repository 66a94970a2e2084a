package io.counterplatform.query.counter;

import io.counterplatform.api.counter.CounterView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The states a batch of events produced, per counter. Written as the latest state of each counter, in one
 * statement, in counter id order: few round trips, and two transactions writing the same table in the same
 * order never deadlock. A row only ever moves forward: a duplicate or late event changes nothing.
 */
final class StateBatch {

    private final Map<String, List<CounterView>> states = new TreeMap<>();

    void add(CounterView state) {
        states.computeIfAbsent(state.counterId(), id -> new ArrayList<>()).add(state);
    }

    /** The states of the counter in this batch after a version, in version order. */
    List<CounterView> after(String counterId, long version) {
        List<CounterView> versions = new ArrayList<>(states.getOrDefault(counterId, List.of()));
        versions.removeIf(state -> state.version() <= version);
        versions.sort(Comparator.comparingLong(CounterView::version));
        return versions;
    }

    /** Upserts the latest state of each counter into {@code table}; returns the counters whose row moved. */
    Stored writeTo(JdbcClient jdbc, String table) {
        if (states.isEmpty()) {
            return new Stored(Map.of(), 0);
        }
        List<CounterView> latest = states.values().stream()
                .map(versions -> versions.stream()
                        .max(Comparator.comparingLong(CounterView::version))
                        .orElseThrow())
                .toList();
        // the driver binds Java arrays as SQL arrays; an ISO instant is read as a timestamptz
        return jdbc.sql(upsert(table))
                .params(
                        latest.stream().map(CounterView::counterId).toArray(String[]::new),
                        latest.stream().mapToLong(CounterView::value).toArray(),
                        latest.stream().mapToLong(CounterView::version).toArray(),
                        latest.stream()
                                .map(state -> state.updatedAt().toString())
                                .toArray(String[]::new))
                .query(rows -> {
                    Map<String, Long> moved = new HashMap<>();
                    long transaction = 0;
                    while (rows.next()) {
                        moved.put(rows.getString("counter_id"), rows.getLong("previous_version"));
                        transaction = rows.getLong("transaction");
                    }
                    return new Stored(moved, transaction);
                });
    }

    /**
     * The counters whose row moved, each with the version it held before (0: none), and the transaction that moved
     * them (its id as a 64-bit xid8).
     */
    record Stored(Map<String, Long> moved, long transaction) {}

    private static String upsert(String table) {
        return """
                INSERT INTO %1$s (counter_id, value, version, updated_at)
                SELECT * FROM unnest(?::varchar[], ?::bigint[], ?::bigint[], ?::timestamptz[])
                ON CONFLICT (counter_id) DO UPDATE
                   SET value = excluded.value, version = excluded.version, updated_at = excluded.updated_at
                 WHERE %1$s.version < excluded.version
                RETURNING counter_id,
                          -- the statement's own snapshot: the row as it was before this statement
                          (SELECT before.version FROM %1$s AS before WHERE before.counter_id = %1$s.counter_id)
                              AS previous_version,
                          pg_current_xact_id()::text::bigint AS transaction
                """.formatted(table);
    }
}
