package io.counterplatform.query.series;

import io.counterplatform.api.counter.CounterSeries;
import io.counterplatform.api.counter.FindCounterSeries;
import java.time.ZoneOffset;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Answers series questions from {@code counter_series}. */
@Component
class CounterSeriesQueries {

    private final JdbcClient jdbc;

    CounterSeriesQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @QueryHandler
    CounterSeries handle(FindCounterSeries query) {
        SeriesInterval interval = SeriesInterval.of(query.interval());
        return new CounterSeries(
                query.counterId(),
                interval.word(),
                jdbc.sql("""
                                SELECT starts_at, increments, amount FROM counter_series
                                 WHERE counter_id = ? AND bucket = ? AND starts_at >= ? AND starts_at < ?
                                 ORDER BY starts_at
                                """)
                        .params(
                                query.counterId(),
                                interval.word(),
                                interval.bucketOf(query.from()).atOffset(ZoneOffset.UTC),
                                query.to().atOffset(ZoneOffset.UTC))
                        .query((row, n) -> new CounterSeries.Bucket(
                                row.getTimestamp("starts_at").toInstant(),
                                row.getLong("increments"),
                                row.getLong("amount")))
                        .list());
    }
}
