package io.counterplatform.command.config;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.axonframework.common.jdbc.JdbcUtils;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Axon's JDBC storage engine, which can also read the counters of a whole batch in one query. Axon loads a counter
 * that is not in memory with a query for its snapshot and one or two for its events (it reads until a batch comes
 * back empty), and the counters of a batch one after the other. What {@link #preload} read belongs to the unit of work
 * it was given and serves each counter's first load in it; every other read is Axon's own, and so is the load of a
 * counter with {@code eventsPerCounter} events or more since its snapshot (Axon reads those page by page).
 */
final class PreloadingStorageEngine extends JdbcEventStorageEngine {

    private static final String PRELOADED = PreloadingStorageEngine.class.getName() + ".preloaded";

    private final int eventsPerCounter;
    private final String query;

    PreloadingStorageEngine(Builder builder, int eventsPerCounter) {
        super(builder);
        this.eventsPerCounter = eventsPerCounter;
        // Every snapshot of the counters, and their events after their latest snapshot, in one statement (one
        // view). The events are read per counter from its latest snapshot on, a range of the unique index on
        // (aggregate, sequence number): a long-lived counter costs what its events since the snapshot cost.
        this.query = String.format(
                "SELECT %1$s, true AS preloaded_snapshot FROM %2$s WHERE %3$s = ANY(?)"
                        + " UNION ALL SELECT %1$s, false FROM unnest(?::varchar[]) AS batch(counter)"
                        + " CROSS JOIN LATERAL (SELECT COALESCE(max(%5$s), -1) AS snapshotted FROM %2$s"
                        + " WHERE %3$s = batch.counter) AS latest"
                        + " CROSS JOIN LATERAL (SELECT %1$s FROM %4$s WHERE %3$s = batch.counter"
                        + " AND %5$s > latest.snapshotted ORDER BY %5$s LIMIT ?) AS events"
                        + " ORDER BY %5$s",
                schema().domainEventFields(),
                schema().snapshotTable(),
                schema().aggregateIdentifierColumn(),
                schema().domainEventTable(),
                schema().sequenceNumberColumn());
    }

    /**
     * Reads the given counters' latest snapshots and the events after them, for their first load in this unit of
     * work (which has not started yet: its batch's transaction has).
     */
    void preload(UnitOfWork<?> unit, Set<String> aggregateIds) {
        if (aggregateIds.isEmpty()) {
            return;
        }
        Map<String, Preloaded> preloaded = new HashMap<>();
        aggregateIds.forEach(id -> preloaded.put(id, new Preloaded()));
        JdbcUtils.executeQuery(
                getConnection(),
                connection -> statement(connection, aggregateIds),
                rows -> {
                    while (rows.next()) {
                        preloaded
                                .get(rows.getString(schema().aggregateIdentifierColumn()))
                                .add(rows, this);
                    }
                    return null;
                },
                failure -> new EventStoreException(
                        "Failed to read the events of " + aggregateIds.size() + " aggregates", failure));
        // a counter that filled its share may have more events: Axon reads those, page by page
        preloaded.values().removeIf(counter -> counter.events.size() >= eventsPerCounter);
        unit.resources().put(PRELOADED, preloaded);
    }

    /** Axon filters, upcasts and deserializes what these two return, as it does what it reads itself. */
    @Override
    protected Stream<? extends DomainEventData<?>> readSnapshotData(String aggregateIdentifier) {
        Preloaded preloaded =
                preloaded().map(all -> all.get(aggregateIdentifier)).orElse(null);
        // a preloaded snapshot the filter refuses: Axon reads every event, which is no longer what was preloaded
        return preloaded == null ? super.readSnapshotData(aggregateIdentifier) : Stream.ofNullable(preloaded.snapshot);
    }

    @Override
    protected Stream<? extends DomainEventData<?>> readEventData(String aggregateIdentifier, long firstSequenceNumber) {
        Preloaded preloaded =
                preloaded().map(all -> all.remove(aggregateIdentifier)).orElse(null);
        if (preloaded == null || firstSequenceNumber != preloaded.firstEventAfterSnapshot()) {
            return super.readEventData(aggregateIdentifier, firstSequenceNumber);
        }
        return preloaded.events.stream();
    }

    private PreparedStatement statement(Connection connection, Set<String> aggregateIds) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(query);
        java.sql.Array ids = connection.createArrayOf("varchar", aggregateIds.toArray());
        statement.setArray(1, ids);
        statement.setArray(2, ids);
        statement.setInt(3, eventsPerCounter);
        return statement;
    }

    /** What the current unit of work preloaded and has not used yet. */
    private static Optional<Map<String, Preloaded>> preloaded() {
        return CurrentUnitOfWork.map(unit -> unit.root().getResource(PRELOADED));
    }

    /** A counter's latest snapshot (if any) and its events after it, in order. */
    private static final class Preloaded {

        private DomainEventData<?> snapshot;
        private final List<DomainEventData<?>> events = new ArrayList<>();

        private void add(ResultSet row, PreloadingStorageEngine engine) throws SQLException {
            if (!row.getBoolean("preloaded_snapshot")) {
                events.add(engine.getDomainEventData(row));
            } else if (snapshot == null
                    || row.getLong(engine.schema().sequenceNumberColumn()) > snapshot.getSequenceNumber()) {
                snapshot = engine.getSnapshotData(row);
            }
        }

        private long firstEventAfterSnapshot() {
            return snapshot == null ? 0 : snapshot.getSequenceNumber() + 1;
        }
    }
}
