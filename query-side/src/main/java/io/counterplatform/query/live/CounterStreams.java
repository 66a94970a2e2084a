package io.counterplatform.query.live;

import io.counterplatform.api.counter.CounterHistoryPage;
import io.counterplatform.api.counter.CounterSlice;
import io.counterplatform.api.counter.CounterView;
import io.counterplatform.api.counter.FindCounter;
import io.counterplatform.api.counter.FindCounterHistory;
import io.counterplatform.api.counter.FindCountersAfter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Function;
import java.util.function.Supplier;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.springframework.stereotype.Component;
import reactor.core.Exceptions;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Live counter states, gap-free and in order. A session subscribes to the projection's updates before it reads
 * the current state, and queues them while it does, so nothing falls between the two. Every state passes one
 * check against the stream's position: an old version is dropped, the next one is sent, and a jump is filled
 * from the event store first. A counter missing from the current state the stream began with is new, so its
 * stream starts at version 1. A client too slow for its buffer gets a new session that resumes from the
 * position, never a gap.
 */
@Component
class CounterStreams {

    private static final int PAGE = 500;

    private final QueryGateway queries;
    private final int bufferSize;
    private final Counter resumes;

    CounterStreams(QueryGateway queries, LiveSettings settings, MeterRegistry meters) {
        this.queries = queries;
        this.bufferSize = settings.bufferSize();
        this.resumes = Counter.builder("counter.live.resumes")
                .description("streams that fell behind their buffer and resumed from the event store")
                .register(meters);
    }

    /** One counter: its current state (or the versions after {@code lastEventId}), then every new version. */
    Flux<CounterView> counter(String counterId, Long lastEventId) {
        return sessions(
                StreamPosition.resumingAfter(counterId, lastEventId),
                false,
                () -> queries.subscriptionQuery(
                        new FindCounter(counterId),
                        ResponseTypes.instanceOf(CounterView.class),
                        ResponseTypes.instanceOf(CounterView.class)),
                Mono::flux);
    }

    /**
     * All counters: the current state of each, sorted by id, then every new version of any of them. A client
     * that fell behind gets every counter's current state again: those it had are continued without a gap, the
     * rest are sent as they are now (never their histories).
     */
    Flux<CounterView> all() {
        return sessions(
                new StreamPosition(),
                true,
                () -> queries.subscriptionQuery(
                        new FindCountersAfter(null, PAGE),
                        ResponseTypes.instanceOf(CounterSlice.class),
                        ResponseTypes.instanceOf(CounterView.class)),
                initial -> initial.flatMapMany(this::allPagesFrom));
    }

    /**
     * Sessions until the client leaves, a new one after each overflow; {@code resumeWithCurrentStates}: a new
     * session's current states of counters never sent are sent as they are, not from version 1.
     */
    private <I> Flux<CounterView> sessions(
            StreamPosition position,
            boolean resumeWithCurrentStates,
            Supplier<SubscriptionQueryResult<I, CounterView>> subscribe,
            Function<Mono<I>, Flux<CounterView>> currentStates) {
        return Flux.defer(() -> {
                    boolean beginning = position.firstSession() || resumeWithCurrentStates;
                    SubscriptionQueryResult<I, CounterView> subscription = subscribe.get();
                    Flux<Observed> updates = subscription
                            .updates()
                            .onBackpressureBuffer(bufferSize, BufferOverflowStrategy.ERROR)
                            .map(view -> new Observed(view, false));
                    Flux<Observed> current = currentStates
                            .apply(subscription.initialResult())
                            .map(view -> new Observed(view, beginning));
                    // both subscribed at once: updates queue up while the current states are read, none is lost
                    return Flux.mergeSequential(current, updates)
                            .concatMap(observed -> inOrder(observed, position))
                            .doOnNext(position::sent)
                            .doFinally(signal -> subscription.close());
                })
                .retryWhen(Retry.indefinitely()
                        .filter(Exceptions::isOverflow)
                        .doBeforeRetry(retry -> resumes.increment()));
    }

    private Flux<CounterView> inOrder(Observed observed, StreamPosition position) {
        CounterView view = observed.view();
        Long last = position.lastSent(view.counterId(), observed.beginning());
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
        return Mono.fromFuture(
                queries.query(new FindCounterHistory(counterId, fromVersion, 1000), CounterHistoryPage.class));
    }

    /** Every counter, slice after slice, each read from where the last ended. */
    private Flux<CounterView> allPagesFrom(CounterSlice first) {
        return Mono.just(first)
                .expand(slice -> slice.items().size() < PAGE
                        ? Mono.empty()
                        : Mono.fromFuture(queries.query(
                                new FindCountersAfter(
                                        slice.items().get(PAGE - 1).counterId(), PAGE),
                                CounterSlice.class)))
                .flatMapIterable(CounterSlice::items);
    }

    /** A state as it reached a session; {@code beginning}: part of the current state the stream began with. */
    private record Observed(CounterView view, boolean beginning) {}
}
