package io.counterplatform.query.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.dao.DataAccessException;

/**
 * One delivery round of one subscription, on one worker: first the events after its cursor, read from the event
 * store, each delivered unless its counter is held; then the holds that are due, each head retried and, once it
 * goes through, the later events of its counter read from the event store again. A failed delivery holds its
 * counter and nothing else. The round ends after {@link #BUDGET} or {@link #MAX_EVENTS}, and at a failure when
 * nothing has gone through yet: an endpoint that is down costs one attempt per round, and its rounds back off.
 */
final class DeliveryRound {

    /** How long a round keeps starting deliveries: then the worker goes to the next subscription. */
    static final Duration BUDGET = Duration.ofSeconds(1);

    static final int MAX_EVENTS = 1000;

    /** Events a round reads before it delivers them in lanes. */
    static final int LANE_BATCH = 200;

    /**
     * How long to wait for the first event: the cursor is behind the head, or a gap it passed may have filled (this
     * instance's event store may fetch that event a little later than the instance that saw it).
     */
    private static final int FIRST_EVENT_WAIT_MILLIS = 200;

    /** One attempt: null when it went through, else why not. */
    @FunctionalInterface
    interface Attempt {
        String deliver(Endpoint endpoint, WebhookEvent event, int attempt);
    }

    private final ClaimedSubscription subscription;
    private final Supplier<Endpoint> currentEndpoint;
    /** The secrets that sign, read again after reading events to deliver and before retrying holds. */
    private volatile Endpoint endpoint;

    private final EventStore events;
    private final Attempt attempt;
    private final WebhookSettings settings;
    private final Map<String, Hold> holds;
    private final Set<String> attempted = new HashSet<>();
    private final Set<String> passed = new HashSet<>();
    private final Set<String> cleared = new HashSet<>();
    private final Instant endOfBudget = Instant.now().plus(BUDGET);
    private TrackingToken cursor;
    private final Executor lanes;
    private final AtomicInteger succeeded = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private volatile String lastError;
    /** Why the cursor could not move on, if it could not: told before any one delivery's failure. */
    private String stalled;
    /** Whether the round read every event there was (or had none to read), up to the head. */
    private boolean caughtUp = true;

    DeliveryRound(
            ClaimedSubscription subscription,
            Supplier<Endpoint> currentEndpoint,
            Map<String, Hold> holds,
            EventStore events,
            Attempt attempt,
            WebhookSettings settings,
            Executor lanes) {
        this.lanes = lanes;
        this.subscription = subscription;
        this.currentEndpoint = currentEndpoint;
        this.endpoint = subscription.endpoint();
        this.holds = new HashMap<>(holds);
        this.events = events;
        this.attempt = attempt;
        this.settings = settings;
    }

    /** Runs the round; {@code head}: the stream's head position when the subscription was claimed. */
    RoundOutcome run(long head) {
        cursor = subscription.cursor(); // null: the stream's start (the store was empty when it subscribed)
        if (subscription.behind(head) || subscription.gapsToRead(head)) {
            followTheStream();
        }
        caughtUp &= cursor != null && cursor.position().orElse(-1) >= head;
        // the due holds, in lanes too (each counter's events in order): null for a hold that cleared
        Map<String, Optional<Hold>> retried = new ConcurrentHashMap<>();
        List<Hold> due = holds.values().stream()
                .filter(hold -> hold.due(Instant.now()))
                .sorted(Comparator.comparing(Hold::nextAttemptAt))
                .toList();
        if (!due.isEmpty()) {
            readSecrets();
        }
        inLanes(due, hold -> {
            if (!over()) {
                retried.put(hold.head().counterId(), retried(hold));
            }
        });
        retried.forEach((counter, hold) -> {
            if (hold.isPresent()) {
                holds.put(counter, hold.get());
                attempted.add(counter);
            } else {
                holds.remove(counter);
                attempted.remove(counter);
                cleared.add(counter);
            }
        });
        passed.removeAll(attempted);
        passed.removeAll(cleared);
        return new RoundOutcome(
                cursor,
                only(attempted),
                only(passed),
                cleared,
                succeeded.get(),
                failed.get(),
                stalled != null ? stalled : lastError,
                caughtUp);
    }

    /** Whether the cursor passed places before their events were visible: one may have arrived since. */
    static boolean hasGaps(TrackingToken cursor) {
        return cursor instanceof GapAwareTrackingToken gapAware
                && !gapAware.getGaps().isEmpty();
    }

    /** Over budget, or an attempt failed and none went through: the endpoint may be down. */
    private boolean over() {
        return (failed.get() > 0 && succeeded.get() == 0) || overTime();
    }

    private boolean overTime() {
        return Instant.now().isAfter(endOfBudget);
    }

    /**
     * A healthy subscription gets the events in lanes (each counter's in order, several counters at once); a failing
     * one one at a time, so that an endpoint that is down costs one attempt per round.
     */
    private void followTheStream() {
        caughtUp = false;
        if (subscription.failingSince() == null && settings.maxInFlightPerSubscription() > 1) {
            inLanes();
        } else {
            oneAtATime();
        }
    }

    private void oneAtATime() {
        try (BlockingStream<TrackedEventMessage<?>> stream = events.openStream(cursor)) {
            int wait = FIRST_EVENT_WAIT_MILLIS;
            for (int read = 0; read < MAX_EVENTS && !over(); read++) {
                if (!stream.hasNextAvailable(wait, TimeUnit.MILLISECONDS)) {
                    caughtUp = true;
                    return;
                }
                wait = 0;
                TrackedEventMessage<?> message = stream.peek().orElseThrow();
                Optional<WebhookEvent> event = concerns(message) ? WebhookEvent.of(message) : Optional.empty();
                if (event.isPresent() && !deliverOrHold(event.get())) {
                    return; // the cursor stays before this event
                }
                stream.nextAvailable();
                cursor = message.trackingToken();
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads up to {@link #LANE_BATCH} events (delivering the first alone: if that fails, the round ends there), then
     * delivers them in {@code max-in-flight-per-subscription} lanes:
     * each lane takes a counter's events and delivers them in order, up to the first failure (that counter's
     * hold); the first lane is this thread, the others borrowed (run here too when none is free).
     */
    private void inLanes() {
        Map<String, List<WebhookEvent>> byCounter = new LinkedHashMap<>();
        try (BlockingStream<TrackedEventMessage<?>> stream = events.openStream(cursor)) {
            int wait = FIRST_EVENT_WAIT_MILLIS;
            for (int read = 0; read < LANE_BATCH; read++) {
                if (!stream.hasNextAvailable(wait, TimeUnit.MILLISECONDS)) {
                    caughtUp = true;
                    break;
                }
                wait = 0;
                TrackedEventMessage<?> message = stream.peek().orElseThrow();
                Optional<WebhookEvent> event = concerns(message) ? WebhookEvent.of(message) : Optional.empty();
                if (event.isPresent()) {
                    String counter = event.get().counterId();
                    Hold hold = holds.get(counter);
                    if (hold != null) {
                        holds.put(counter, hold.through(event.get().version()));
                        passed.add(counter);
                    } else if (succeeded.get() == 0 && byCounter.isEmpty()) {
                        // the first one alone: if the endpoint is down, this round costs one attempt and one hold
                        if (!deliverOrHold(event.get())) {
                            break;
                        }
                        if (failed.get() > 0) {
                            stream.nextAvailable();
                            cursor = message.trackingToken();
                            break;
                        }
                    } else if (byCounter.containsKey(counter)
                            || holds.size() + byCounter.size() < settings.maxHeldCounters()) {
                        byCounter
                                .computeIfAbsent(counter, c -> new ArrayList<>())
                                .add(event.get());
                    } else {
                        stalled = "more than " + settings.maxHeldCounters() + " counters on hold; later events wait";
                        break; // each counter sent might need a hold: the cursor stays before this event
                    }
                }
                stream.nextAvailable();
                cursor = message.trackingToken();
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
        if (!byCounter.isEmpty()) {
            readSecrets();
        }
        Queue<Hold> held = new ConcurrentLinkedQueue<>();
        inLanes(List.copyOf(byCounter.values()), chain -> inOrder(chain).ifPresent(held::add));
        held.forEach(hold -> {
            holds.put(hold.head().counterId(), hold);
            attempted.add(hold.head().counterId());
        });
    }

    /**
     * Runs {@code task} on each item, in {@code max-in-flight-per-subscription} lanes for a healthy subscription (the
     * first lane this thread, the others borrowed, run here too when none is free), in one for a failing one.
     */
    private <T> void inLanes(List<T> items, Consumer<T> task) {
        Queue<T> work = new ConcurrentLinkedQueue<>(items);
        Runnable lane = () -> {
            for (T item = work.poll(); item != null; item = work.poll()) {
                task.accept(item);
            }
        };
        int count = subscription.failingSince() == null ? settings.maxInFlightPerSubscription() : 1;
        List<CompletableFuture<Void>> borrowed = new ArrayList<>();
        for (int i = 1; i < count && i < items.size(); i++) {
            borrowed.add(CompletableFuture.runAsync(lane, lanes));
        }
        lane.run();
        borrowed.forEach(CompletableFuture::join);
    }

    /** One counter's events, in order, up to the first failure or the end of the budget: then its hold. */
    private Optional<Hold> inOrder(List<WebhookEvent> chain) {
        long through = chain.get(chain.size() - 1).version();
        for (WebhookEvent event : chain) {
            if (overTime()) {
                return Optional.of(Hold.waiting(event, through));
            }
            String failure = deliver(event, 1);
            if (failure != null) {
                return Optional.of(
                        Hold.after(event, failure, settings.backoffAfter(1)).through(through));
            }
        }
        return Optional.empty();
    }

    /** An event after the subscription was made, of a counter it follows (known without reading the payload). */
    private boolean concerns(TrackedEventMessage<?> message) {
        return message.trackingToken().position().orElse(Long.MAX_VALUE) > subscription.afterPosition()
                && (!(message instanceof DomainEventMessage<?> domain)
                        || subscription.follows(domain.getAggregateIdentifier()));
    }

    /** Delivers the event, or adds it to its counter's hold. False: no hold may be added, so it is not tried. */
    private boolean deliverOrHold(WebhookEvent event) {
        String counter = event.counterId();
        Hold hold = holds.get(counter);
        if (hold != null) {
            holds.put(counter, hold.through(event.version()));
            passed.add(counter);
            return true;
        }
        if (holds.size() >= settings.maxHeldCounters()) {
            // a failure here could not be held: the cursor waits before this event, untried, while the holds
            // are retried (a round that tried it would end at its failure and never retry them)
            stalled = "more than " + settings.maxHeldCounters() + " counters on hold; later events wait";
            return false;
        }
        readSecrets();
        String failure = deliver(event, 1);
        if (failure == null) {
            return true;
        }
        holds.put(counter, Hold.after(event, failure, settings.backoffAfter(1)));
        attempted.add(counter);
        return true;
    }

    /** The hold after its head is retried and, once that goes through, the events it held; empty: all went. */
    private Optional<Hold> retried(Hold hold) {
        String counter = hold.head().counterId();
        String failure = deliver(hold.head(), hold.attempts() + 1);
        if (failure != null) {
            return Optional.of(hold.failedAgain(failure, settings.backoffAfter(hold.attempts() + 1)));
        }
        // sequence numbers count from 0, versions from 1: the next version's sequence number is this version
        DomainEventStream later = events.readEvents(counter, hold.head().version());
        while (later.hasNext()) {
            Optional<WebhookEvent> next = WebhookEvent.of(later.next());
            if (next.isEmpty()) {
                continue;
            }
            if (next.get().version() > hold.throughVersion()) {
                break;
            }
            if (over()) {
                return Optional.of(hold.deliveredUpTo(next.get()));
            }
            failure = deliver(next.get(), 1);
            if (failure != null) {
                return Optional.of(Hold.after(next.get(), failure, settings.backoffAfter(1))
                        .through(hold.throughVersion()));
            }
        }
        return Optional.empty();
    }

    private Map<String, Hold> only(Set<String> counters) {
        Map<String, Hold> selected = new HashMap<>();
        counters.forEach(counter -> selected.put(counter, holds.get(counter)));
        return selected;
    }

    /**
     * The secrets as they are now, read after the events to deliver were: an event stored after a rotation answered
     * is signed with the new secret, even by a round claimed before it.
     */
    private void readSecrets() {
        try {
            endpoint = currentEndpoint.get();
        } catch (DataAccessException unreadable) {
            // the round goes on with the secrets it has, so that what it delivered is written (or fails loudly then)
        }
    }

    private String deliver(WebhookEvent event, int attemptNumber) {
        String failure = attempt.deliver(endpoint, event, attemptNumber);
        if (failure == null) {
            succeeded.incrementAndGet();
        } else {
            failed.incrementAndGet();
            lastError = failure;
        }
        return failure;
    }
}
