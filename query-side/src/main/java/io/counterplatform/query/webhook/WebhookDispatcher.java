package io.counterplatform.query.webhook;

import io.counterplatform.api.counter.InvalidCounterInput;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskExecutor;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Delivers what the outbox holds: claims due deliveries (every poll interval, and at once when woken), sends them
 * on the webhook workers, and records the outcome. Retries back off exponentially; after the last attempt a
 * delivery becomes a dead letter. Deliveries run on threads of their own, so no receiver, however slow, holds up
 * the read model.
 */
@Component
class WebhookDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final DeliveryQueue queue;
    private final WebhookSender sender;
    private final WebhookSettings settings;
    private final TaskScheduler dispatch;
    private final TaskExecutor workers;
    private final Semaphore idleWorkers;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final AtomicBoolean failing = new AtomicBoolean();
    private final Counter delivered;
    private final Counter failed;
    private final Counter deadLettered;
    private final Timer sending;
    private volatile ScheduledFuture<?> polling;

    WebhookDispatcher(
            DeliveryQueue queue,
            WebhookSender sender,
            WebhookSettings settings,
            @Qualifier(WebhookProcessingConfiguration.DISPATCH) TaskScheduler dispatch,
            @Qualifier(WebhookProcessingConfiguration.WORKERS) TaskExecutor workers,
            MeterRegistry meters) {
        this.queue = queue;
        this.sender = sender;
        this.settings = settings;
        this.dispatch = dispatch;
        this.workers = workers;
        this.idleWorkers = new Semaphore(settings.workers());
        this.delivered = meters.counter("counter.webhooks.deliveries", "outcome", "delivered");
        this.failed = meters.counter("counter.webhooks.deliveries", "outcome", "failed");
        this.deadLettered = meters.counter("counter.webhooks.deliveries", "outcome", "dead-lettered");
        this.sending = Timer.builder("counter.webhooks.delivery.latency")
                .description("one delivery attempt, from connecting to the receiver's answer")
                .publishPercentileHistogram()
                .register(meters);
        Gauge.builder("counter.webhooks.dead.letters", queue, DeliveryQueue::deadLetterCount)
                .description("deliveries that failed every attempt, waiting for a redelivery")
                .register(meters);
    }

    /** New deliveries were committed, or a worker became free: look now rather than at the next poll. */
    void wake() {
        if (polling != null && wakePending.compareAndSet(false, true)) {
            try {
                dispatch.schedule(this::dispatchDue, Instant.now());
            } catch (TaskRejectedException shuttingDown) {
                wakePending.set(false); // the next poll, here or on another instance, finds the work
            }
        }
    }

    @Override
    public void start() {
        polling = dispatch.scheduleWithFixedDelay(this::dispatchDue, settings.pollInterval());
    }

    @Override
    public void stop() {
        ScheduledFuture<?> running = polling;
        polling = null;
        if (running != null) {
            running.cancel(false);
        }
    }

    @Override
    public boolean isRunning() {
        return polling != null;
    }

    /** Runs on the one dispatch thread only, so the free workers it counts cannot be taken by another claim. */
    private void dispatchDue() {
        wakePending.set(false);
        try {
            int free = idleWorkers.availablePermits();
            List<Delivery> due = free == 0
                    ? List.<Delivery>of()
                    : queue.claim(free, settings.maxInFlightPerSubscription(), settings.lease());
            for (Delivery delivery : due) {
                idleWorkers.acquireUninterruptibly();
                workers.execute(() -> deliver(delivery));
            }
            if (failing.compareAndSet(true, false)) {
                log.info("Claiming webhook deliveries works again");
            }
        } catch (RuntimeException failure) {
            if (failing.compareAndSet(false, true)) {
                log.warn("Claiming webhook deliveries failed, trying again every poll: {}", failure.toString());
            }
        }
    }

    private void deliver(Delivery delivery) {
        try {
            try {
                sending.record(() -> sender.send(delivery));
            } catch (RuntimeException failure) {
                failed(delivery, failure);
                return;
            }
            // sent: a failure to record it is not a failed delivery; the claim runs out and it is sent again
            queue.delivered(delivery);
            delivered.increment();
        } catch (RuntimeException unrecorded) {
            log.warn("The outcome of delivery {} could not be recorded: {}", delivery.eventId(), unrecorded.toString());
        } finally {
            idleWorkers.release();
            wake();
        }
    }

    private void failed(Delivery delivery, RuntimeException failure) {
        Duration backoff = settings.backoffAfter(delivery.attempts() + 1);
        boolean dead = backoff == null;
        // the sender's reasons are its own words; anything else could carry a library's text to the subscriber
        String reason = failure instanceof IllegalStateException || failure instanceof InvalidCounterInput
                ? failure.getMessage()
                : "the delivery failed";
        queue.failed(delivery, reason, dead ? Duration.ZERO : backoff, dead);
        (dead ? deadLettered : failed).increment();
    }
}
