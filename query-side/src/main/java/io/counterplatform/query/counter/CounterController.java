package io.counterplatform.query.counter;

import io.counterplatform.api.counter.CounterHistoryPage;
import io.counterplatform.api.counter.CounterPage;
import io.counterplatform.api.counter.CounterRules;
import io.counterplatform.api.counter.CounterView;
import io.counterplatform.api.counter.FindCounter;
import io.counterplatform.api.counter.FindCounterAt;
import io.counterplatform.api.counter.FindCounterHistory;
import io.counterplatform.api.counter.FindCounters;
import io.counterplatform.api.counter.InvalidCounterInput;
import io.counterplatform.query.live.StreamAdmission;
import io.counterplatform.support.problem.Refusal;
import io.counterplatform.support.security.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Reads counters: the read model through the query gateway, history and time travel from the event store. */
@RestController
@RequestMapping("/api/counters")
class CounterController {

    private final QueryGateway queries;
    private final StreamAdmission admission;

    CounterController(QueryGateway queries, StreamAdmission admission) {
        this.admission = admission;
        this.queries = queries;
    }

    @GetMapping("/{counterId}")
    Mono<ResponseEntity<CounterView>> counter(
            @PathVariable String counterId,
            @RequestParam(required = false) @Min(0) Long minVersion,
            @RequestParam(defaultValue = "2000") @Min(0) @Max(30_000) long waitMillis,
            @RequestParam(required = false) Instant at,
            @AuthenticationPrincipal Caller caller,
            HttpServletRequest request) {
        CounterRules.requireValidId(counterId);
        if (at != null) {
            if (minVersion != null) {
                throw new InvalidCounterInput("at", "cannot be combined with minVersion");
            }
            return found(
                    queries.query(new FindCounterAt(counterId, at), CounterView.class),
                    "counter " + counterId + " has no event at or before " + at);
        }
        if (minVersion != null) {
            // a wait holds a subscription query like a live stream: it counts against the instance's limit too
            Runnable release = admission.admitWait(StreamAdmission.clientOf(caller, request.getRemoteAddr()));
            return atLeast(counterId, minVersion, Duration.ofMillis(waitMillis))
                    .map(ResponseEntity::ok)
                    .doFinally(signal -> release.run());
        }
        return found(
                queries.query(new FindCounter(counterId), CounterView.class), "counter " + counterId + " has no event");
    }

    @GetMapping
    Mono<CounterPage> counters(
            @RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
        return Mono.fromFuture(queries.query(new FindCounters(page, size), CounterPage.class));
    }

    @GetMapping("/{counterId}/events")
    Mono<ResponseEntity<CounterHistoryPage>> events(
            @PathVariable String counterId,
            @RequestParam(defaultValue = "1") @Min(1) long fromVersion,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        CounterRules.requireValidId(counterId);
        return found(
                queries.query(new FindCounterHistory(counterId, fromVersion, limit), CounterHistoryPage.class),
                "counter " + counterId + " has no event");
    }

    /** Queries are answered with an instance or null: the one response type that crosses any wire as itself. */
    private static <T> Mono<ResponseEntity<T>> found(CompletableFuture<T> answer, String otherwise) {
        return Mono.fromFuture(answer)
                .map(ResponseEntity::ok)
                .switchIfEmpty(Mono.error(() -> new Refusal(HttpStatus.NOT_FOUND, "not-found", otherwise)));
    }

    /**
     * The counter once the read model has it at a version, without holding a thread: the subscription query is
     * registered before the current state is read, so an update between the two is not missed.
     */
    private Mono<CounterView> atLeast(String counterId, long minVersion, Duration wait) {
        return Mono.using(
                () -> queries.subscriptionQuery(new FindCounter(counterId), CounterView.class, CounterView.class),
                result -> result.initialResult()
                        .filter(view -> view.version() >= minVersion)
                        .switchIfEmpty(
                                wait.isZero()
                                        ? Mono.error(new TimeoutException())
                                        : result.updates()
                                                .filter(view -> view.version() >= minVersion)
                                                .next()
                                                .timeout(wait))
                        .onErrorMap(TimeoutException.class, timeout -> notReached(counterId, minVersion, wait)),
                SubscriptionQueryResult::close);
    }

    private static Refusal notReached(String counterId, long minVersion, Duration wait) {
        return new Refusal(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "version-not-reached-yet",
                        "counter " + counterId + " did not reach version " + minVersion + " within " + wait.toMillis()
                                + " ms")
                .header(HttpHeaders.RETRY_AFTER, "1");
    }
}
