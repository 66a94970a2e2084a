package io.counterplatform.query.replay;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code projection_replay} table: one row per projection, leased by the instance running its rebuild. */
@Component
class ReplayRepository {

    private final JdbcClient jdbc;
    private final Serializer serializer;

    ReplayRepository(JdbcClient jdbc, Serializer serializer) {
        this.jdbc = jdbc;
        this.serializer = serializer;
    }

    /** Starts a rebuild unless one is running; false if one is. */
    boolean start(String name, long targetPosition, String owner, Duration lease) {
        return jdbc.sql("""
                        INSERT INTO projection_replay (name, status, started_at, target_position, owner, lease_until)
                        VALUES (:name, 'RUNNING', now(), :target, :owner, now() + make_interval(secs => :lease))
                        ON CONFLICT (name) DO UPDATE
                           SET status = 'RUNNING', started_at = now(), finished_at = NULL, target_position = :target,
                               position = 0, processed = 0, token = NULL, token_type = NULL,
                               owner = :owner, lease_until = now() + make_interval(secs => :lease)
                         WHERE projection_replay.status <> 'RUNNING'
                        RETURNING name
                        """)
                .param("name", name)
                .param("target", targetPosition)
                .param("owner", owner)
                .param("lease", seconds(lease))
                .query(String.class)
                .optional()
                .isPresent();
    }

    /**
     * Taken by the start and the switch of a rebuild: waits for the live batches in flight to commit, and holds
     * new ones off until this transaction ends.
     */
    void excludeLiveBatches(String name) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext(:key))")
                .param("key", lockKey(name))
                .query()
                .listOfRows();
    }

    /**
     * Whether a rebuild runs, asked by a live batch inside its transaction: it holds a shared lock until it
     * commits, so a rebuild cannot start between this answer and the batch's writes (see excludeLiveBatches).
     */
    boolean isRunningForLiveBatch(String name) {
        jdbc.sql("SELECT pg_advisory_xact_lock_shared(hashtext(:key))")
                .param("key", lockKey(name))
                .query()
                .listOfRows();
        return isRunning(name);
    }

    boolean isRunning(String name) {
        return jdbc.sql("SELECT name FROM projection_replay WHERE name = :name AND status = 'RUNNING'")
                .param("name", name)
                .query(String.class)
                .optional()
                .isPresent();
    }

    Optional<ReplayRecord> findRunning(String name) {
        return jdbc.sql("SELECT * FROM projection_replay WHERE name = :name AND status = 'RUNNING'")
                .param("name", name)
                .query(this::record)
                .optional();
    }

    /** Takes over running rebuilds whose owner stopped renewing its lease (it crashed or was stopped). */
    List<String> claimAbandoned(String owner, Duration lease) {
        return jdbc.sql("""
                        UPDATE projection_replay SET owner = :owner, lease_until = now() + make_interval(secs => :lease)
                         WHERE status = 'RUNNING' AND lease_until < now()
                        RETURNING name
                        """)
                .param("owner", owner)
                .param("lease", seconds(lease))
                .query(String.class)
                .list();
    }

    /** Records progress and renews the lease; false if this instance no longer owns the rebuild. */
    boolean checkpoint(String name, String owner, TrackingToken token, long position, long processed, Duration lease) {
        SerializedObject<byte[]> serialized = token == null ? null : serializer.serialize(token, byte[].class);
        return jdbc.sql("""
                        UPDATE projection_replay
                           SET token = :token, token_type = :type, position = :position, processed = :processed,
                               lease_until = now() + make_interval(secs => :lease)
                         WHERE name = :name AND owner = :owner AND status = 'RUNNING'
                        """)
                        .param("name", name)
                        .param("owner", owner)
                        .param("token", serialized == null ? null : serialized.getData())
                        .param(
                                "type",
                                serialized == null ? null : serialized.getType().getName())
                        .param("position", position)
                        .param("processed", processed)
                        .param("lease", seconds(lease))
                        .update()
                == 1;
    }

    /** Marks the rebuild done, if {@code owner} still owns it; false if another instance took it over. */
    boolean finish(String name, String owner) {
        return jdbc.sql("""
                        UPDATE projection_replay SET status = 'DONE', finished_at = now(), owner = NULL
                         WHERE name = :name AND owner = :owner AND status = 'RUNNING'
                        """).param("name", name).param("owner", owner).update() == 1;
    }

    /** For the rest of the current transaction, a lock that cannot be had within {@code timeout} is an error. */
    void limitLockWaits(Duration timeout) {
        jdbc.sql("SET LOCAL lock_timeout = '" + timeout.toMillis() + "ms'").update();
    }

    private ReplayRecord record(ResultSet row, int n) throws SQLException {
        byte[] token = row.getBytes("token");
        return new ReplayRecord(
                row.getTimestamp("started_at").toInstant(),
                row.getLong("target_position"),
                row.getLong("position"),
                row.getLong("processed"),
                token == null
                        ? null
                        : serializer.deserialize(
                                new SimpleSerializedObject<>(token, byte[].class, row.getString("token_type"), null)));
    }

    private static String lockKey(String name) {
        return "projection-replay:" + name;
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
