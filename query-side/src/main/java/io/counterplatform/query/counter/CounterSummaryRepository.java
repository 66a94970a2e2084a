package io.counterplatform.query.counter;

import java.time.Instant;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface CounterSummaryRepository extends JpaRepository<CounterSummary, String> {

    /**
     * Sets the counter to the state an event produced, unless the row already holds that version or a later
     * one: a redelivered or out-of-order event changes nothing.
     */
    @Modifying
    @Query(nativeQuery = true, value = """
                    INSERT INTO counter_summary (counter_id, value, version, updated_at)
                    VALUES (:counterId, :value, :version, :updatedAt)
                    ON CONFLICT (counter_id) DO UPDATE
                       SET value = excluded.value, version = excluded.version, updated_at = excluded.updated_at
                     WHERE counter_summary.version < excluded.version
                    """)
    int upsert(
            @Param("counterId") String counterId,
            @Param("value") long value,
            @Param("version") long version,
            @Param("updatedAt") Instant updatedAt);
}
