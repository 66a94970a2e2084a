package io.counterplatform.query.series;

import io.counterplatform.api.counter.CounterRules;
import io.counterplatform.api.counter.CounterSeries;
import io.counterplatform.api.counter.FindCounterSeries;
import io.counterplatform.api.counter.InvalidCounterInput;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** A counter over time, from the counter-series read model. */
@RestController
@RequestMapping("/api/counters")
class CounterSeriesController {

    static final int MAX_BUCKETS = 1_000;
    /** Without {@code from}: this many buckets, up to {@code to}. */
    static final int DEFAULT_BUCKETS = 60;
    // what PostgreSQL's timestamps hold with room to spare, and any calendar needs
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final QueryGateway queries;

    CounterSeriesController(QueryGateway queries) {
        this.queries = queries;
    }

    @GetMapping("/{counterId}/series")
    Mono<CounterSeries> series(
            @PathVariable String counterId,
            @RequestParam String interval,
            @RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to) {
        CounterRules.requireValidId(counterId);
        SeriesInterval buckets = SeriesInterval.of(interval);
        Instant end = to != null ? upToMicros(within("to", to)) : buckets.plus(buckets.bucketOf(Instant.now()), 1);
        if (from != null && !within("from", from).isBefore(to != null ? to : end)) {
            throw to != null
                    ? new InvalidCounterInput("to", "must be later than from")
                    : new InvalidCounterInput(
                            "from", "must be before the end of this " + interval + " when to is absent");
        }
        // without from: the 60 buckets up to the one that holds the last instant before end
        Instant start = from != null
                ? buckets.bucketOf(from)
                : latest(EARLIEST, buckets.plus(buckets.bucketOf(end.minusNanos(1)), 1 - DEFAULT_BUCKETS));
        if (!start.isBefore(end)) {
            throw new InvalidCounterInput("to", "must be later than from");
        }
        if (buckets.bucketsBetween(start, end) > MAX_BUCKETS) {
            throw to != null
                    ? new InvalidCounterInput("to", "must be at most " + MAX_BUCKETS + " " + interval + "s after from")
                    : new InvalidCounterInput(
                            "from", "must be at most " + MAX_BUCKETS + " " + interval + "s ago when to is absent");
        }
        return Mono.fromFuture(
                queries.query(new FindCounterSeries(counterId, buckets.word(), start, end), CounterSeries.class));
    }

    /** PostgreSQL keeps microseconds; buckets start at whole minutes, so "before to" is "before to, rounded up". */
    private static Instant upToMicros(Instant at) {
        Instant micros = at.truncatedTo(ChronoUnit.MICROS);
        return micros.equals(at) ? at : micros.plusNanos(1_000);
    }

    private static Instant latest(Instant one, Instant other) {
        return one.isAfter(other) ? one : other;
    }

    private static Instant within(String parameter, Instant at) {
        if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw new InvalidCounterInput(parameter, "must be between years 1 and 9999");
        }
        return at;
    }
}
