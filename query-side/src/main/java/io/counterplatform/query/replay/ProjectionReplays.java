package io.counterplatform.query.replay;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts rebuilds, says whether one runs, and makes sure every running rebuild is being worked on: each
 * instance looks every few seconds for a rebuild whose owner stopped renewing its lease, and takes it over
 * from its checkpoint. So a rebuild survives the crash of the instance that ran it, whichever instance that was.
 */
@Component
public class ProjectionReplays implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProjectionReplays.class);

    private final Map<String, ReplayableProjection> projections;
    private final EventStore eventStore;
    private final ReplayRepository rebuilds;
    private final TransactionTemplate transaction;
    private final ReplaySettings settings;
    private final ReplayMetrics metrics;
    private final String owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
    private final Map<String, Future<?>> runningHere = new ConcurrentHashMap<>();
    private final AsyncTaskExecutor jobs;
    private final TaskScheduler watch;
    private volatile ScheduledFuture<?> watching;

    ProjectionReplays(
            List<ReplayableProjection> projections,
            EventStore eventStore,
            ReplayRepository rebuilds,
            TransactionTemplate transaction,
            ReplaySettings settings,
            ReplayMetrics metrics,
            @Qualifier(ReplayConfiguration.JOBS) AsyncTaskExecutor jobs,
            @Qualifier(ReplayConfiguration.WATCH) TaskScheduler watch) {
        this.projections =
                projections.stream().collect(Collectors.toMap(ReplayableProjection::name, Function.identity()));
        this.eventStore = eventStore;
        this.rebuilds = rebuilds;
        this.transaction = transaction;
        this.settings = settings;
        this.metrics = metrics;
        this.jobs = jobs;
        this.watch = watch;
    }

    /**
     * Whether the live projection must also write to its shadow. Read once per unit of work, inside its
     * transaction, under a lock that keeps a rebuild from starting until that transaction has committed.
     */
    public boolean isReplaying(String name) {
        if (!projections.containsKey(name)) {
            return false;
        }
        return CurrentUnitOfWork.isStarted()
                ? CurrentUnitOfWork.get()
                        .root()
                        .getOrComputeResource("rebuilding:" + name, key -> rebuilds.isRunningForLiveBatch(name))
                : rebuilds.isRunning(name);
    }

    boolean isReplayable(String name) {
        return projections.containsKey(name);
    }

    Optional<ReplayRecord> running(String name) {
        return rebuilds.findRunning(name);
    }

    /** Starts a rebuild on this instance; false if one is already running. */
    boolean start(String name) {
        ReplayableProjection projection = projections.get(name);
        Boolean started = transaction.execute(status -> {
            // every event a live batch committed before this is at or below the head read next; every batch after
            // it sees the rebuild running and writes to the shadow as well: nothing falls between the two
            rebuilds.excludeLiveBatches(name);
            long target = ReplayJob.positionAfter(eventStore.createHeadToken(), 0);
            if (!rebuilds.start(name, target, owner, settings.lease())) {
                return false;
            }
            projection.createShadow();
            return true;
        });
        if (Boolean.TRUE.equals(started)) {
            run(name);
        }
        return Boolean.TRUE.equals(started);
    }

    @Override
    public void start() {
        watching = watch.scheduleWithFixedDelay(this::takeOverAbandoned, settings.renewEvery());
    }

    /** A replay cut off here resumes from its checkpoint, on this instance or another: shutdown does not wait. */
    @Override
    public void stop() {
        ScheduledFuture<?> running = watching;
        watching = null;
        if (running != null) {
            running.cancel(false);
        }
        runningHere.values().forEach(job -> job.cancel(true));
    }

    @Override
    public boolean isRunning() {
        return watching != null;
    }

    private void takeOverAbandoned() {
        try {
            for (String name : rebuilds.claimAbandoned(owner, settings.lease())) {
                if (projections.containsKey(name) && !runningHere.containsKey(name)) {
                    log.info("Taking over the rebuild of {}", name);
                    run(name);
                }
            }
        } catch (RuntimeException failure) {
            log.warn("Looking for abandoned rebuilds failed: {}", failure.toString());
        }
    }

    /** One job per projection and instance; its place is taken before it starts and freed when it ends. */
    private void run(String name) {
        ReplayJob job =
                new ReplayJob(projections.get(name), eventStore, rebuilds, transaction, settings, metrics, owner);
        // a job that ends at once removes its place only after it was put here: the map holds the key meanwhile
        runningHere.computeIfAbsent(
                name,
                key -> jobs.submit(() -> {
                    try {
                        job.run();
                    } finally {
                        runningHere.remove(name);
                    }
                }));
    }
}
