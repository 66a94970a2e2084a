package io.counterplatform.query.counter;

import io.counterplatform.api.counter.CounterPage;
import io.counterplatform.api.counter.CounterSlice;
import io.counterplatform.api.counter.CounterView;
import io.counterplatform.api.counter.FindCounter;
import io.counterplatform.api.counter.FindCounters;
import io.counterplatform.api.counter.FindCountersAfter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Answers questions about counters from the {@code counter_summary} read model (the projection writes it). */
@Component
class CounterQueries {

    static final RowMapper<CounterView> VIEW = (row, n) -> new CounterView(
            row.getString("counter_id"),
            row.getLong("value"),
            row.getLong("version"),
            row.getTimestamp("updated_at").toInstant());

    private final JdbcClient jdbc;

    CounterQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @QueryHandler
    Optional<CounterView> handle(FindCounter query) {
        return jdbc.sql("SELECT * FROM counter_summary WHERE counter_id = ?")
                .param(query.counterId())
                .query(VIEW)
                .optional();
    }

    /**
     * The counters after an id, in id order, read by the primary key's index from there on, with the snapshot the
     * statement read them in (one row of nulls when there are none).
     */
    @QueryHandler
    CounterSlice handle(FindCountersAfter query) {
        return jdbc.sql("""
                        SELECT pg_current_snapshot()::text AS snapshot, slice.*
                          FROM (SELECT 1) AS one
                          LEFT JOIN LATERAL (SELECT * FROM counter_summary WHERE counter_id > coalesce(?, '')
                                              ORDER BY counter_id LIMIT ?) AS slice ON true
                         ORDER BY slice.counter_id
                        """).params(query.afterCounterId(), query.limit()).query(rows -> {
            List<CounterView> items = new ArrayList<>();
            String snapshot = null;
            while (rows.next()) {
                snapshot = rows.getString("snapshot");
                if (rows.getString("counter_id") != null) {
                    items.add(VIEW.mapRow(rows, items.size()));
                }
            }
            return new CounterSlice(items, snapshot);
        });
    }

    /** A page in id order; the total is counted only when the page does not tell it (a short page does). */
    @QueryHandler
    CounterPage handle(FindCounters query) {
        long offset = (long) query.page() * query.size();
        List<CounterView> items = jdbc.sql("SELECT * FROM counter_summary ORDER BY counter_id LIMIT ? OFFSET ?")
                .params(query.size(), offset)
                .query(VIEW)
                .list();
        long total = items.size() < query.size() && (offset == 0 || !items.isEmpty())
                ? offset + items.size()
                : jdbc.sql("SELECT count(*) FROM counter_summary")
                        .query(Long.class)
                        .single();
        return new CounterPage(items, query.page(), query.size(), total);
    }
}
