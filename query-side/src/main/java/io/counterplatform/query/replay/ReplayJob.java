package io.counterplatform.query.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rebuilds one projection into its shadow: reads the event stream from the checkpoint (the tail at first) in
 * batches, each batch and its checkpoint in one transaction, and switches over once it has passed the head the
 * stream had when the rebuild began. Events after that point reach the shadow through the live projection,
 * which writes to both tables while the rebuild runs.
 */
class ReplayJob implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ReplayJob.class);
    private static final Duration LOG_EVERY = Duration.ofSeconds(5);

    private final ReplayableProjection projection;
    private final String name;
    private final StreamableMessageSource<TrackedEventMessage<?>> events;
    private final ReplayRepository rebuilds;
    private final TransactionTemplate transaction;
    private final ReplaySettings settings;
    private final ReplayMetrics metrics;
    private final String owner;

    ReplayJob(
            ReplayableProjection projection,
            StreamableMessageSource<TrackedEventMessage<?>> events,
            ReplayRepository rebuilds,
            TransactionTemplate transaction,
            ReplaySettings settings,
            ReplayMetrics metrics,
            String owner) {
        this.projection = projection;
        this.name = projection.name();
        this.events = events;
        this.rebuilds = rebuilds;
        this.transaction = transaction;
        this.settings = settings;
        this.metrics = metrics;
        this.owner = owner;
    }

    @Override
    public void run() {
        try {
            ReplayRecord record = rebuilds.findRunning(name).orElseThrow(LostLease::new);
            log.info(
                    "Replay of {} {} at position {} of {}",
                    name,
                    record.processed() == 0 ? "started" : "resumed",
                    record.position(),
                    record.targetPosition());
            rebuild(record);
        } catch (LostLease lost) {
            log.warn("Replay of {} is now run by another instance", name);
        } catch (InterruptedException stopped) {
            log.info("Replay of {} paused; it resumes when this or another instance takes it up", name);
            Thread.currentThread().interrupt();
        } catch (RuntimeException failure) {
            log.error("Replay of {} failed; another attempt starts when its lease runs out", name, failure);
        } finally {
            metrics.stopped(name);
        }
    }

    private void rebuild(ReplayRecord record) throws InterruptedException {
        Instant started = Instant.now();
        long processed = record.processed();
        long processedHere = 0;
        long position = record.position();
        Instant lastLog = started;
        TrackingToken token = record.token();
        try (BlockingStream<TrackedEventMessage<?>> stream = events.openStream(token)) {
            while (position < record.targetPosition()) {
                List<TrackedEventMessage<?>> batch = nextBatch(stream);
                if (batch.isEmpty()) {
                    renewLease(token, position, processed);
                    continue;
                }
                token = batch.get(batch.size() - 1).trackingToken();
                position = positionAfter(token, position);
                processed += batch.size();
                processedHere += batch.size();
                applyBatch(batch, token, position, processed);
                metrics.progress(name, batch.size(), record.progress(position));
                if (Duration.between(lastLog, Instant.now()).compareTo(LOG_EVERY) >= 0) {
                    lastLog = Instant.now();
                    log.info(
                            "Replay of {}: {} events, position {} of {} ({}%), {} events/s",
                            name,
                            processed,
                            position,
                            record.targetPosition(),
                            Math.round(record.progress(position) * 100),
                            rate(processedHere, started));
                }
                throttle(token, position, processed, processedHere, started);
            }
        }
        switchOver(token, position, processed);
        log.info(
                "Replay of {} finished: {} events in {} s, {} events/s; the rebuilt model has taken over",
                name,
                processed,
                Duration.between(record.startedAt(), Instant.now()).toSeconds(),
                rate(processedHere, started));
    }

    private List<TrackedEventMessage<?>> nextBatch(BlockingStream<TrackedEventMessage<?>> stream)
            throws InterruptedException {
        List<TrackedEventMessage<?>> batch = new ArrayList<>();
        if (stream.hasNextAvailable(500, TimeUnit.MILLISECONDS)) {
            while (batch.size() < settings.batchSize() && stream.hasNextAvailable()) {
                batch.add(stream.nextAvailable());
            }
        }
        return batch;
    }

    private void applyBatch(List<TrackedEventMessage<?>> batch, TrackingToken token, long position, long processed) {
        for (int attempt = 1; ; attempt++) {
            try {
                transaction.executeWithoutResult(status -> {
                    projection.applyToShadow(batch);
                    renewLease(token, position, processed); // a lost lease rolls the batch back
                });
                return;
            } catch (TransientDataAccessException transientFailure) {
                if (attempt == 10) {
                    throw transientFailure;
                }
                log.debug("Replay batch of {} failed ({}), retrying", name, transientFailure.toString());
            }
        }
    }

    private void renewLease(TrackingToken token, long position, long processed) {
        if (!rebuilds.checkpoint(name, owner, token, position, processed, settings.lease())) {
            throw new LostLease();
        }
    }

    /**
     * Waits as long as the rate ceiling asks, renewing the lease meanwhile so no other instance takes over (which
     * is why this is not a library's rate limiter: none renews a lease while it waits).
     */
    private void throttle(TrackingToken token, long position, long processed, long processedHere, Instant started)
            throws InterruptedException {
        if (settings.maxEventsPerSecond() > 0) {
            long due = started.toEpochMilli() + processedHere * 1000 / settings.maxEventsPerSecond();
            for (long wait = due - System.currentTimeMillis(); wait > 0; wait = due - System.currentTimeMillis()) {
                Thread.sleep(Math.min(wait, settings.renewEvery().toMillis()));
                renewLease(token, position, processed);
            }
        }
    }

    /**
     * One transaction: waits for the live batches in flight, checks that this instance still owns the rebuild,
     * and switches. Readers of the live table could hold the switch up, and every later reader would queue behind
     * it: a switch that cannot lock the tables within the lock timeout gives up, and tries again a little later.
     */
    private void switchOver(TrackingToken token, long position, long processed) throws InterruptedException {
        while (true) {
            try {
                Boolean switched = transaction.execute(status -> {
                    rebuilds.limitLockWaits(settings.switchLockTimeout());
                    rebuilds.excludeLiveBatches(name);
                    if (!rebuilds.finish(name, owner)) {
                        return false;
                    }
                    projection.switchToShadow();
                    return true;
                });
                if (!Boolean.TRUE.equals(switched)) {
                    throw new LostLease();
                }
                return;
            } catch (PessimisticLockingFailureException busy) {
                log.info(
                        "Switch-over of {} waited {} for readers of the read model; trying again",
                        name,
                        settings.switchLockTimeout());
                renewLease(token, position, processed);
                Thread.sleep(settings.renewEvery().toMillis());
            }
        }
    }

    /**
     * Positions are exclusive bounds: the position after the last event read (0 before any). Axon Server counts
     * its events from 0 and the JDBC store from 1, and either way a store of one event has something to read.
     */
    static long positionAfter(TrackingToken token, long previous) {
        OptionalLong position = token == null ? OptionalLong.empty() : token.position();
        return position.isPresent() ? position.getAsLong() + 1 : previous;
    }

    private static long rate(long events, Instant since) {
        long millis = Math.max(1, Duration.between(since, Instant.now()).toMillis());
        return events * 1000 / millis;
    }

    /** Another instance took the rebuild over after this one failed to renew its lease in time. */
    private static final class LostLease extends RuntimeException {
        LostLease() {
            super(null, null, false, false);
        }
    }
}
