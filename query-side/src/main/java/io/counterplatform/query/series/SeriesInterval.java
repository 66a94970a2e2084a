package io.counterplatform.query.series;

import io.counterplatform.api.counter.InvalidCounterInput;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** The bucket sizes of the series, in UTC, and the word each has in the API and the table. */
enum SeriesInterval {
    MINUTE(ChronoUnit.MINUTES),
    HOUR(ChronoUnit.HOURS),
    DAY(ChronoUnit.DAYS);

    private final ChronoUnit unit;

    SeriesInterval(ChronoUnit unit) {
        this.unit = unit;
    }

    static SeriesInterval of(String word) {
        for (SeriesInterval interval : values()) {
            if (interval.word().equals(word)) {
                return interval;
            }
        }
        throw new InvalidCounterInput("interval", "must be minute, hour or day");
    }

    String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The start of the bucket that holds the instant. */
    Instant bucketOf(Instant at) {
        return at.truncatedTo(unit);
    }

    Instant plus(Instant at, long buckets) {
        return at.plus(buckets, unit);
    }

    /** How many buckets start from {@code start} (a bucket's start) until before {@code end}. */
    long bucketsBetween(Instant start, Instant end) {
        long seconds = unit.getDuration().getSeconds();
        long covered = end.getEpochSecond() - start.getEpochSecond() + (end.getNano() > 0 ? 1 : 0);
        return Math.floorDiv(covered + seconds - 1, seconds);
    }
}
