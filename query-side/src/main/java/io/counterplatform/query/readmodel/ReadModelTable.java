package io.counterplatform.query.readmodel;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code read_model} table: per model, its live version, the one being built and the one being retired; and
 * the statements that move a model from one version to the next. Table and view names come from the models' own
 * names in code, never from a request.
 */
@Component
public class ReadModelTable {

    private final JdbcClient jdbc;

    ReadModelTable(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * {@code buildingTarget}: the position of the newest event when the build began (null: the store was empty),
     * which the new version must reach before it can take over.
     */
    record State(
            String name, int live, Integer building, Instant buildingSince, Long buildingTarget, Integer retiring) {

        ReadModelVersion version(int number) {
            return new ReadModelVersion(name, number);
        }
    }

    List<State> all() {
        return jdbc.sql("SELECT * FROM read_model ORDER BY name")
                .query(State.class)
                .list();
    }

    Optional<State> find(String name) {
        return jdbc.sql("SELECT * FROM read_model WHERE name = ?")
                .param(name)
                .query(State.class)
                .optional();
    }

    /** Whether the version is live, as the transaction asking sees it. */
    public boolean isLive(ReadModelVersion version) {
        return jdbc.sql("SELECT live FROM read_model WHERE name = ?")
                        .param(version.model())
                        .query(Integer.class)
                        .single()
                == version.number();
    }

    /** Starts building the next version, with its empty table; empty if one is being built already. */
    Optional<ReadModelVersion> startBuilding(String name, Long target) {
        Optional<State> started =
                jdbc.sql("""
                        UPDATE read_model SET building = live + 1, building_since = now(), building_target = ?
                         WHERE name = ? AND building IS NULL
                        RETURNING *
                        """).param(target).param(name).query(State.class).optional();
        started.ifPresent(state -> jdbc.sql("CREATE TABLE %s (LIKE %s INCLUDING ALL)"
                        .formatted(
                                state.version(state.building()).table(),
                                state.version(state.live()).table()))
                .update());
        return started.map(state -> state.version(state.building()));
    }

    /** Locks the model's row for a switch from {@code from} to {@code to}; false if it is no longer due. */
    boolean lockForSwitch(ReadModelVersion from, ReadModelVersion to) {
        return jdbc.sql("""
                        SELECT name FROM read_model
                         WHERE name = ? AND live = ? AND building = ? AND retiring IS NULL
                           FOR UPDATE
                        """)
                .params(from.model(), from.number(), to.number())
                .query(String.class)
                .optional()
                .isPresent();
    }

    /**
     * Holds every write to a version's table until the transaction ends, after waiting for those in flight to
     * commit; readers are not held.
     */
    void holdWrites(ReadModelVersion version) {
        jdbc.sql("LOCK TABLE " + version.table() + " IN EXCLUSIVE MODE").update();
    }

    /** Points the view at the new version, which is now live; the old one is to be retired. */
    void switchTo(ReadModelVersion from, ReadModelVersion to) {
        jdbc.sql("CREATE OR REPLACE VIEW %s AS SELECT * FROM %s".formatted(to.view(), to.table()))
                .update();
        jdbc.sql("UPDATE read_model SET live = ?, building = NULL, retiring = ? WHERE name = ?")
                .params(to.number(), from.number(), to.model())
                .update();
    }

    /** Drops a retired version's table, and marks the retirement done. */
    void dropRetired(ReadModelVersion retired) {
        jdbc.sql("DROP TABLE IF EXISTS " + retired.table()).update();
        jdbc.sql("UPDATE read_model SET retiring = NULL WHERE name = ? AND retiring = ?")
                .params(retired.model(), retired.number())
                .update();
    }

    /** For the rest of the transaction, a lock that cannot be had within {@code timeout} is an error. */
    void limitLockWaits(Duration timeout) {
        jdbc.sql("SET LOCAL lock_timeout = '" + timeout.toMillis() + "ms'").update();
    }
}
