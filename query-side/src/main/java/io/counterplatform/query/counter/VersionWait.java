package io.counterplatform.query.counter;

import io.counterplatform.api.counter.CounterView;
import io.counterplatform.api.counter.FindCounter;
import io.counterplatform.support.problem.Refusal;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Waits, without holding a thread, until the read model has a counter at a given version: the subscription
 * query is registered before the current state is read, so an update between the two is not missed.
 */
@Component
class VersionWait {

    private final QueryGateway queries;

    VersionWait(QueryGateway queries) {
        this.queries = queries;
    }

    Mono<CounterView> atLeast(String counterId, long minVersion, Duration wait) {
        return Mono.using(
                () -> queries.subscriptionQuery(
                        new FindCounter(counterId),
                        ResponseTypes.instanceOf(CounterView.class),
                        ResponseTypes.instanceOf(CounterView.class)),
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
