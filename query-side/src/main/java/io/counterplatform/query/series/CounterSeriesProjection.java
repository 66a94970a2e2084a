package io.counterplatform.query.series;

import io.counterplatform.api.counter.CounterIncremented;
import io.counterplatform.query.readmodel.ReadModel;
import io.counterplatform.query.readmodel.ReadModelVersion;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Keeps one version of {@code counter_series}: each event adds one increment and its amount to its minute, its hour
 * and its day. A processor batch sums its events per bucket and adds them in one statement, in the transaction that
 * stores the processor's token, so each event is counted exactly once.
 */
class CounterSeriesProjection {

    private static final Comparator<Bucket> ORDER = Comparator.comparing(Bucket::counterId)
            .thenComparing(Bucket::interval)
            .thenComparing(Bucket::start);

    private final JdbcClient jdbc;
    private final String table;

    CounterSeriesProjection(JdbcClient jdbc, ReadModelVersion version) {
        this.jdbc = jdbc;
        this.table = version.table();
    }

    private record Bucket(String counterId, SeriesInterval interval, Instant start) {}

    @EventHandler
    void on(CounterIncremented event, @Timestamp Instant at) {
        // in one order: two batches adding to the same buckets never deadlock
        Map<Bucket, long[]> sums = ReadModel.perBatch(
                CounterSeriesProjection.class.getName(), () -> new TreeMap<Bucket, long[]>(ORDER), this::add);
        for (SeriesInterval interval : SeriesInterval.values()) {
            long[] sum = sums.computeIfAbsent(
                    new Bucket(event.counterId(), interval, interval.bucketOf(at)), bucket -> new long[2]);
            sum[0]++;
            sum[1] += event.amount(); // a counter's amounts add up to its value, which never overflows
        }
    }

    /** The sums of the processor's batch, added as it commits. */
    private void add(Map<Bucket, long[]> sums) {
        List<Map.Entry<Bucket, long[]>> rows = List.copyOf(sums.entrySet());
        // the driver binds Java arrays as SQL arrays; an ISO instant is read as a timestamptz
        jdbc.sql("""
                        INSERT INTO %1$s AS sums (counter_id, bucket, starts_at, increments, amount)
                        SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::timestamptz[], ?::bigint[], ?::bigint[])
                        ON CONFLICT (counter_id, bucket, starts_at) DO UPDATE
                           SET increments = sums.increments + excluded.increments,
                               amount = sums.amount + excluded.amount
                        """.formatted(table))
                .params(
                        rows.stream().map(row -> row.getKey().counterId()).toArray(String[]::new),
                        rows.stream().map(row -> row.getKey().interval().word()).toArray(String[]::new),
                        rows.stream()
                                .map(row -> row.getKey().start().toString())
                                .toArray(String[]::new),
                        rows.stream().mapToLong(row -> row.getValue()[0]).toArray(),
                        rows.stream().mapToLong(row -> row.getValue()[1]).toArray())
                .update();
    }
}
