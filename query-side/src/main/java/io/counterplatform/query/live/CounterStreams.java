package io.counterplatform.query.live;

import io.counterplatform.api.counter.CounterHistoryPage;
import io.counterplatform.api.counter.CounterPage;
import io.counterplatform.api.counter.CounterView;
import io.counterplatform.api.counter.FindCounter;
import io.counterplatform.api.counter.FindCounterHistory;
import io.counterplatform.api.counter.FindCounters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Function;
import java.util.function.Supplier;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.Exceptions;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Live counter states, gap-free and in order. A session subscribes to the projection's updates before it reads
 * the current state, so nothing falls between the two. Every state passes one check against the stream's
 * position: an old version is dropped, the next one is sent, and a jump is filled from the event store first.
 * A client too slow for its buffer gets a new session that resumes from the position, never a gap.
 */
@Component
class CounterStreams {

    private static final int PAGE = 500;
    private static final int HISTORY_PAGE = 1000;

    private final QueryGateway queries;
    private final int bufferSize;
    private final Counter resumes;

    CounterStreams(QueryGateway queries, @Value("${counter.live.buffer-size}") int bufferSize, MeterRegistry meters) {
        this.queries = queries;
        this.bufferSize = bufferSize;
        this.resumes = Counter.builder("counter.live.resumes")
                .description("streams that fell behind their buffer and resumed from the event store")
                .register(meters);
    }

    /** One counter: its current state (or the versions after {@code lastEventId}), then every new version. */
    Flux<CounterView> counter(String counterId, Long lastEventId) {
        StreamPosition position = StreamPosition.resumingAfter(counterId, lastEventId);
        return sessions(
                position,
                () -> queries.subscriptionQuery(
                        new FindCounter(counterId),
                        ResponseTypes.optionalInstanceOf(CounterView.class),
                        ResponseTypes.instanceOf(CounterView.class)),
                initial -> initial.flatMap(Mono::justOrEmpty).flux());
    }

    /** All counters: the current state of each, sorted by id, then every new version of any of them. */
    Flux<CounterView> all() {
        return sessions(
                new StreamPosition(),
                () -> queries.subscriptionQuery(
                        new FindCounters(0, PAGE),
                        ResponseTypes.instanceOf(CounterPage.class),
                        ResponseTypes.instanceOf(CounterView.class)),
                initial -> initial.flatMapMany(this::allPagesFrom));
    }

    private <I> Flux<CounterView> sessions(
            StreamPosition position,
            Supplier<SubscriptionQueryResult<I, CounterView>> subscribe,
            Function<Mono<I>, Flux<CounterView>> currentStates) {
        return Flux.defer(() -> {
                    SubscriptionQueryResult<I, CounterView> subscription = subscribe.get();
                    Flux<CounterView> updates =
                            subscription.updates().onBackpressureBuffer(bufferSize, BufferOverflowStrategy.ERROR);
                    return currentStates
                            .apply(subscription.initialResult())
                            .concatWith(updates)
                            .concatMap(view -> inOrder(view, position))
                            .doOnNext(position::sent)
                            .doFinally(signal -> subscription.close());
                })
                .retryWhen(Retry.indefinitely()
                        .filter(Exceptions::isOverflow)
                        .doBeforeRetry(retry -> resumes.increment()));
    }

    private Flux<CounterView> inOrder(CounterView view, StreamPosition position) {
        Long last = position.lastSent(view.counterId());
        if (last == null || view.version() == last + 1) {
            return Flux.just(view);
        }
        if (view.version() <= last) {
            return Flux.empty();
        }
        return history(view.counterId(), last + 1, view.version() - 1).concatWith(Flux.just(view));
    }

    /** The states between two versions, from the event store, page by page. */
    private Flux<CounterView> history(String counterId, long fromVersion, long toVersion) {
        return historyPage(counterId, fromVersion)
                .expand(page -> page.nextFromVersion() == null || page.nextFromVersion() > toVersion
                        ? Mono.empty()
                        : historyPage(counterId, page.nextFromVersion()))
                .flatMapIterable(CounterHistoryPage::items)
                .takeWhile(event -> event.version() <= toVersion)
                .map(event -> event.toCounterView(counterId));
    }

    private Mono<CounterHistoryPage> historyPage(String counterId, long fromVersion) {
        return Mono.fromFuture(queries.query(
                        new FindCounterHistory(counterId, fromVersion, HISTORY_PAGE),
                        ResponseTypes.optionalInstanceOf(CounterHistoryPage.class)))
                .flatMap(Mono::justOrEmpty);
    }

    private Flux<CounterView> allPagesFrom(CounterPage first) {
        return Mono.just(first)
                .expand(page -> (long) (page.page() + 1) * PAGE >= page.totalItems()
                        ? Mono.empty()
                        : Mono.fromFuture(queries.query(new FindCounters(page.page() + 1, PAGE), CounterPage.class)))
                .flatMapIterable(CounterPage::items);
    }
}
