package io.counterplatform.query.counter;

import io.counterplatform.api.counter.CounterIncremented;
import io.counterplatform.api.counter.CounterView;
import io.counterplatform.query.replay.ReplayableProjection;
import java.util.List;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Rebuilds {@code counter_summary} into {@code counter_summary_next}, which then takes its name in one
 * transaction: readers see the old model until the new one is complete, then the new one, never anything between.
 */
@Component
class CounterSummaryReplay implements ReplayableProjection {

    private final JdbcClient jdbc;

    CounterSummaryReplay(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String name() {
        return CounterSummaryProjection.NAME;
    }

    @Override
    public void createShadow() {
        jdbc.sql("DROP TABLE IF EXISTS counter_summary_next").update();
        jdbc.sql("CREATE TABLE counter_summary_next (LIKE counter_summary INCLUDING ALL)")
                .update();
    }

    @Override
    public void applyToShadow(List<? extends EventMessage<?>> batch) {
        StateBatch states = new StateBatch();
        for (EventMessage<?> event : batch) {
            if (event instanceof DomainEventMessage<?> domainEvent
                    && event.getPayload() instanceof CounterIncremented incremented) {
                states.add(new CounterView(
                        incremented.counterId(),
                        incremented.value(),
                        domainEvent.getSequenceNumber() + 1,
                        event.getTimestamp()));
            }
        }
        states.writeTo(jdbc, StateBatch.SHADOW);
    }

    /**
     * The shadow takes the live table's name, its grants, and its indexes' names, so every rebuild leaves the
     * schema as the migrations made it. Runs after the caller has excluded the live batches.
     */
    @Override
    public void switchToShadow() {
        jdbc.sql("LOCK TABLE counter_summary, counter_summary_next IN ACCESS EXCLUSIVE MODE")
                .update();
        jdbc.sql("ALTER TABLE counter_summary RENAME TO counter_summary_old").update();
        jdbc.sql("ALTER TABLE counter_summary_next RENAME TO counter_summary").update();
        jdbc.sql("""
                DO $$
                DECLARE grant_row record; index_row record;
                BEGIN
                    FOR grant_row IN SELECT grantee, privilege_type FROM information_schema.role_table_grants
                                      WHERE table_schema = current_schema() AND table_name = 'counter_summary_old'
                    LOOP
                        EXECUTE format('GRANT %s ON counter_summary TO %s', grant_row.privilege_type,
                                       CASE WHEN grant_row.grantee = 'PUBLIC' THEN 'PUBLIC'
                                            ELSE quote_ident(grant_row.grantee) END);
                    END LOOP;
                    DROP TABLE counter_summary_old;
                    FOR index_row IN SELECT indexname FROM pg_indexes
                                      WHERE schemaname = current_schema() AND tablename = 'counter_summary'
                                        AND indexname LIKE 'counter_summary_next%'
                    LOOP
                        EXECUTE format('ALTER INDEX %I RENAME TO %I', index_row.indexname,
                                       replace(index_row.indexname, 'counter_summary_next', 'counter_summary'));
                    END LOOP;
                END $$
                """).update();
    }
}
