package io.counterplatform.query.live;

import io.counterplatform.api.counter.CounterCommitted;
import io.counterplatform.api.counter.CounterHistoryPage;
import io.counterplatform.api.counter.CounterSlice;
import io.counterplatform.api.counter.CounterView;
import io.counterplatform.api.counter.FindCounter;
import io.counterplatform.api.counter.FindCounterHistory;
import io.counterplatform.api.counter.FindCountersAfter;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Live counter states, gap-free and in order. A one-counter session subscribes to the projection's updates before
 * it reads the current state, and queues them while it does, so nothing falls between the two; every state passes
 * one check against the last version sent: an old version is dropped, the next one is sent, and a jump is filled
 * from the event store first. A client too slow for its buffer gets a new session that resumes from there. The
 * stream of all counters walks them by id instead ({@link CounterWalk}), and ends for a client too slow for its
 * buffer: it remembers nothing per counter to resume from, and the client's reconnect begins a new walk.
 */
@Component
class CounterStreams {

    private static final int SLICE = 500;
    // a read of one slice takes milliseconds: this many changes during one means the database has stalled
    private static final int MAX_WAITING_FOR_A_SLICE = 10 * SLICE;
    private static final Object READING = new Object();

    private final QueryGateway queries;
    private final int bufferSize;
    private final Counter resumes;
    private final Counter overtaken;
    private final RateLimiter walkPace;

    CounterStreams(QueryGateway queries, LiveSettings settings, MeterRegistry meters) {
        this.queries = queries;
        this.bufferSize = settings.bufferSize();
        this.walkPace = RateLimiter.of(
                "walks",
                RateLimiterConfig.custom()
                        .limitForPeriod(1) // a slice
                        .limitRefreshPeriod(
                                Duration.ofNanos(Math.max(1_000, 1_000_000_000L * SLICE / settings.walkRate())))
                        // however many walks there are, each waits its turn
                        .timeoutDuration(Duration.ofDays(1))
                        .build());
        this.resumes = Counter.builder("counter.live.resumes")
                .description("one-counter streams that fell behind their buffer and resumed from the event store")
                .register(meters);
        this.overtaken = Counter.builder("counter.live.overtaken")
                .description("streams of all counters ended because their client fell behind its buffer")
                .register(meters);
    }

    /** One counter: its current state (or the versions after {@code lastEventId}), then every new version. */
    Flux<CounterView> counter(String counterId, Long lastEventId) {
        AtomicReference<Long> lastSent = new AtomicReference<>(lastEventId);
        AtomicBoolean begun = new AtomicBoolean();
        return Flux.defer(() -> {
                    // a counter that had no state when the stream began belongs to it from version 1
                    Long sinceBeginning = begun.getAndSet(true) ? 0L : null;
                    SubscriptionQueryResult<CounterView, CounterView> subscription =
                            queries.subscriptionQuery(new FindCounter(counterId), CounterView.class, CounterView.class);
                    Flux<CounterView> updates =
                            subscription.updates().onBackpressureBuffer(bufferSize, BufferOverflowStrategy.ERROR);
                    // a counter without a state yet belongs to the stream from version 1, whatever version is
                    // announced first (a new read model version announces only the latest as it takes over)
                    Flux<CounterView> current = subscription
                            .initialResult()
                            .flux()
                            .switchIfEmpty(Mono.fromRunnable(() -> lastSent.compareAndSet(null, 0L)));
                    // both subscribed at once: updates queue up while the current state is read, none is lost
                    return Flux.mergeSequential(current, updates)
                            .concatMap(view -> inOrder(view, lastSent.get() != null ? lastSent.get() : sinceBeginning))
                            .doOnNext(view -> lastSent.set(view.version()))
                            .doFinally(signal -> subscription.close());
                })
                .retryWhen(Retry.indefinitely()
                        .filter(Exceptions::isOverflow)
                        .doBeforeRetry(retry -> resumes.increment()));
    }

    /**
     * All counters, in batches: the current state of each, sorted by id, then every new version of any of them,
     * until the client falls behind its buffer.
     */
    Flux<List<CounterView>> all() {
        return Flux.defer(() -> {
                    SubscriptionQueryResult<CounterSlice, CounterCommitted> subscription = queries.subscriptionQuery(
                            new FindCountersAfter(null, SLICE), CounterSlice.class, CounterCommitted.class);
                    AtomicReference<FluxSink<Object>> arrivals = new AtomicReference<>();
                    Sinks.Empty<Void> ended = Sinks.empty();
                    // walks take turns at the instance's pace, the first slice too; a read announces itself, in the
                    // queue, as it begins, and runs off the thread that asks for it, which may be the projection's
                    Consumer<String> readAfter = after -> Mono.delay(
                                    Duration.ofNanos(Math.max(0, walkPace.reservePermission())),
                                    Schedulers.boundedElastic())
                            .then(Mono.fromRunnable(() -> arrivals.get().next(READING)))
                            .then(Mono.fromFuture(
                                    () -> queries.query(new FindCountersAfter(after, SLICE), CounterSlice.class)))
                            .takeUntilOther(ended.asMono())
                            .subscribe(arrivals.get()::next, arrivals.get()::error);
                    CounterWalk walk = new CounterWalk(SLICE, MAX_WAITING_FOR_A_SLICE, readAfter);
                    // slices, reads and changes in one queue, in the order they arrive: the walk decides on each
                    return Flux.create(sink -> {
                                arrivals.set(sink);
                                // the changes end when a new version of the read model takes over: the client's
                                // reconnect walks that one
                                Disposable changes =
                                        subscription.updates().subscribe(sink::next, sink::error, sink::complete);
                                // a stream that ends stops following changes and drops the read it waits for
                                sink.onDispose(() -> {
                                    changes.dispose();
                                    ended.tryEmitEmpty();
                                });
                                readAfter.accept(null);
                            })
                            .onBackpressureBuffer(bufferSize, BufferOverflowStrategy.ERROR)
                            // a slice's states go out together, as one write
                            .map(next -> next instanceof CounterSlice slice
                                    ? walk.slice(slice)
                                    : next == READING ? walk.reading() : walk.change((CounterCommitted) next))
                            .filter(states -> !states.isEmpty())
                            .doFinally(signal -> subscription.close());
                })
                .onErrorResume(Exceptions::isOverflow, overflow -> {
                    overtaken.increment();
                    return Flux.empty();
                });
    }

    /** {@code last}: the last version sent, null to send the state as it is. */
    private Flux<CounterView> inOrder(CounterView view, Long last) {
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
}
