package io.counterplatform.query.readmodel;

import io.counterplatform.query.readmodel.ReadModelTable.State;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.function.UnaryOperator;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs the versions of every read model on this instance and moves each model along. Every instance runs a
 * processor for the live version and for the one being built; Axon's claims share their segments out and hand
 * them over when an instance stops or dies. Once the new version has caught up, any instance switches the view to
 * it in one transaction; the old one is then stopped everywhere, and its tokens and table go. Kept by hand because
 * Axon registers processors only at start-up: a version started later is built here, as Axon builds its own.
 */
@Component
public class ReadModels implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReadModels.class);
    private static final Duration STEP_EVERY = Duration.ofSeconds(1);
    // how long a switch waits for a table: readers that come after it queue behind it meanwhile
    private static final Duration LOCK_WAIT = Duration.ofMillis(200);
    // how long a switch holds the old version's writes for the new one to see all the old one has seen
    private static final Duration CATCH_UP_WAIT = Duration.ofSeconds(1);

    private final Map<String, ReadModel> models = new TreeMap<>();
    private final ReadModelTable table;
    private final VersionProcessors processors;
    private final SharedTokenStore tokens;
    private final EventStore eventStore;
    private final TransactionTemplate transaction;
    private final TaskScheduler steps;
    private final Map<ReadModelVersion, VersionProcessors.Running> running = new ConcurrentHashMap<>();
    private final Map<String, Map<Integer, TrackingToken>> liveTokensAStepAgo = new ConcurrentHashMap<>();
    private volatile ScheduledFuture<?> stepping;
    private volatile boolean stopped = true;

    ReadModels(
            List<ReadModel> models,
            ReadModelTable table,
            VersionProcessors processors,
            SharedTokenStore tokens,
            EventStore eventStore,
            TransactionTemplate transaction,
            @Qualifier(ReadModelConfiguration.VERSIONS) TaskScheduler steps) {
        models.forEach(model -> this.models.put(model.name(), model));
        this.table = table;
        this.processors = processors;
        this.tokens = tokens;
        this.eventStore = eventStore;
        this.transaction = transaction;
        this.steps = steps;
    }

    public Set<String> names() {
        return models.keySet();
    }

    /** This instance's processor of a version, if it runs one. */
    public Optional<StreamingEventProcessor> processor(ReadModelVersion version) {
        return Optional.ofNullable(running.get(version)).map(VersionProcessors.Running::processor);
    }

    /** The processor of the model's live version on this instance, if it runs one. */
    public Optional<StreamingEventProcessor> liveProcessor(String name) {
        return table.find(name).flatMap(state -> processor(state.version(state.live())));
    }

    /** This instance's processors of the live versions (those of a version being built may fail meanwhile). */
    public List<StreamingEventProcessor> liveProcessors() {
        return table.all().stream()
                .flatMap(state -> processor(state.version(state.live())).stream())
                .toList();
    }

    /** Starts building the model's next version; false while one is being built. */
    boolean rebuild(String name) {
        TrackingToken head = eventStore.createHeadToken();
        Long target = head == null
                ? null
                : head.position().stream().boxed().findFirst().orElse(null);
        Optional<ReadModelVersion> started = transaction.execute(status -> table.startBuilding(name, target));
        started.ifPresent(version -> {
            log.info("Rebuilding {} as {}, up to position {} before it takes over", name, version.table(), target);
            steps.schedule(this::stepQuietly, Instant.now());
        });
        return started.isPresent();
    }

    /** How far the version being built is towards the head the store had when it began, from 0 to 1. */
    double progress(State state) {
        return progress(
                tokens.segments(state.version(state.building()).processor()).stream()
                        .map(SharedTokenStore.Segment::token)
                        .toList(),
                state.buildingTarget());
    }

    /** From the tokens of every segment (null: none yet) and the position of the newest event when it began. */
    static double progress(List<TrackingToken> segments, Long target) {
        if (segments.isEmpty()) {
            return 0;
        }
        if (target == null) {
            return 1;
        }
        long slowest = segments.stream()
                .mapToLong(token -> token == null ? -1 : token.position().orElse(-1))
                .min()
                .orElse(-1);
        // positions count from 0 on Axon Server and from 1 in the JDBC store: both are read as "events up to"
        return Math.min(1.0, (slowest + 1.0) / (target + 1.0));
    }

    @Override
    public void start() {
        stopped = false;
        stepQuietly();
        stepping = steps.scheduleWithFixedDelay(this::stepQuietly, STEP_EVERY);
    }

    /** Stops this instance's processors, which release their segments to the other instances. */
    @Override
    public void stop() {
        stopped = true;
        ScheduledFuture<?> scheduled = stepping;
        stepping = null;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        synchronized (this) {
            CompletableFuture.allOf(running.values().stream()
                            .map(version -> version.stop().get().exceptionally(failure -> {
                                log.warn(
                                        "Stopping {} failed: {}",
                                        version.processor().getName(),
                                        failure.toString());
                                return null;
                            }))
                            .toArray(CompletableFuture[]::new))
                    .join();
            running.clear();
        }
    }

    @Override
    public boolean isRunning() {
        return stepping != null;
    }

    private void stepQuietly() {
        try {
            step();
        } catch (RuntimeException failure) {
            log.warn("Moving the read models along failed, trying again in {}: {}", STEP_EVERY, failure.toString());
        }
    }

    /** Runs what the table says should run here, and takes the next step of each model that has one. */
    private synchronized void step() {
        if (stopped) {
            return; // a rebuild asked for while the service stops starts nothing here
        }
        for (State state : table.all()) {
            ReadModel model = models.get(state.name());
            try {
                if (model != null) {
                    step(model, state);
                }
            } catch (RuntimeException failure) {
                log.warn(
                        "Moving {} along failed, trying again in {}: {}", state.name(), STEP_EVERY, failure.toString());
            }
        }
    }

    private void step(ReadModel model, State state) {
        Set<Integer> wanted = state.building() == null ? Set.of(state.live()) : Set.of(state.live(), state.building());
        for (ReadModelVersion version : List.copyOf(running.keySet())) {
            if (version.model().equals(model.name()) && !wanted.contains(version.number())) {
                running.remove(version).stop().get().join();
            }
        }
        for (int number : wanted) {
            running.computeIfAbsent(
                    state.version(number), version -> processors.start(version, model.projection(version)));
        }
        if (state.building() != null && state.retiring() == null && progress(state) >= 1) {
            // checked without holding anything first, against where the old version stood a step ago: a new version
            // that is stuck holds nobody's writes up, and one that keeps up passes though its idle segments store
            // their place only twice a second
            Map<Integer, TrackingToken> aStepAgo = liveTokensAStepAgo.put(
                    model.name(), tokensOf(state.version(state.live()), WrappedToken::unwrapUpperBound));
            if (aStepAgo != null
                    && covers(tokensOf(state.version(state.building()), WrappedToken::unwrapLowerBound), aStepAgo)) {
                switchOver(model, state.version(state.live()), state.version(state.building()));
            }
        } else {
            liveTokensAStepAgo.remove(model.name());
        }
        if (state.retiring() != null) {
            retire(state.version(state.retiring()));
        }
    }

    /**
     * One transaction: holds the old version's writes, waits until the new version has seen every event the old
     * one has (readers then never see a counter go back), holds the new one's writes too, and moves the view. A
     * reader or writer that holds a table up makes the switch give way and try again at the next step. The old
     * version's tokens are read once, when its writes are held: its segments may still move their tokens over
     * events of other segments, but write nothing more.
     */
    private void switchOver(ReadModel model, ReadModelVersion from, ReadModelVersion to) {
        try {
            Boolean switched = transaction.execute(status -> {
                table.limitLockWaits(LOCK_WAIT);
                if (!table.lockForSwitch(from, to)) {
                    return false;
                }
                table.holdWrites(from);
                if (!newerHasSeenAll(to, tokensOf(from, WrappedToken::unwrapUpperBound))) {
                    status.setRollbackOnly();
                    return false;
                }
                table.holdWrites(to);
                model.switching(from, to);
                table.switchTo(from, to);
                return true;
            });
            if (Boolean.TRUE.equals(switched)) {
                log.info("{} has caught up and is live; {} retires", to.table(), from.table());
            }
        } catch (TransientDataAccessException busy) {
            log.info("Switching {} to {} gave way to a busy table; trying again", model.name(), to.table());
        }
    }

    /** Waits at most {@link #CATCH_UP_WAIT} until what the new version has surely handled covers {@code older}. */
    private boolean newerHasSeenAll(ReadModelVersion newer, Map<Integer, TrackingToken> older) {
        long giveUp = System.nanoTime() + CATCH_UP_WAIT.toNanos();
        while (!covers(tokensOf(newer, WrappedToken::unwrapLowerBound), older)) {
            if (System.nanoTime() > giveUp) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Segment by segment when both versions have the same segments (a counter's events are in the same one in both,
     * and a segment stores its token whenever it handles one of its own events); else the new version's slowest
     * segment against the old one's fastest.
     */
    static boolean covers(Map<Integer, TrackingToken> newer, Map<Integer, TrackingToken> older) {
        if (newer.keySet().equals(older.keySet())) {
            return older.entrySet().stream().allMatch(old -> covers(newer.get(old.getKey()), old.getValue()));
        }
        Optional<TrackingToken> fastestOld =
                older.values().stream().filter(Objects::nonNull).reduce(TrackingToken::upperBound);
        return fastestOld.isEmpty() || covers(slowest(newer), fastestOld.get());
    }

    private static boolean covers(TrackingToken newer, TrackingToken older) {
        return older == null || (newer != null && newer.covers(older));
    }

    /** The slowest segment's token; null while a segment has none (or there are none). */
    private static TrackingToken slowest(Map<Integer, TrackingToken> bySegment) {
        return bySegment.isEmpty() || bySegment.containsValue(null)
                ? null
                : bySegment.values().stream().reduce(TrackingToken::lowerBound).orElseThrow();
    }

    /** Each segment's token, unwrapped to one bound of what it has handled (null: nothing yet). */
    private Map<Integer, TrackingToken> tokensOf(ReadModelVersion version, UnaryOperator<TrackingToken> bound) {
        Map<Integer, TrackingToken> bySegment = new HashMap<>();
        tokens.segments(version.processor())
                .forEach(segment -> bySegment.put(segment.segment(), bound.apply(segment.token())));
        return bySegment;
    }

    /**
     * Deletes a retired version's tokens and drops its table, once no instance works on it any more: deleting a
     * token takes Axon's claim on it, which is refused while another instance holds it.
     */
    private void retire(ReadModelVersion retired) {
        try {
            transaction.executeWithoutResult(status -> {
                table.limitLockWaits(LOCK_WAIT);
                for (int segment : tokens.fetchSegments(retired.processor())) {
                    tokens.fetchToken(retired.processor(), segment);
                    tokens.deleteToken(retired.processor(), segment);
                }
                table.dropRetired(retired);
            });
            log.info("{} and its tokens are gone", retired.table());
        } catch (UnableToClaimTokenException | TransientDataAccessException stillInUse) {
            log.debug("{} is still in use: {}", retired.table(), stillInUse.toString());
        }
    }
}
