package io.counterplatform.query.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Delivers what the outbox holds: claims due deliveries, sends them on a pool of workers, and records the
 * outcome. Retries back off exponentially; after the last attempt a delivery becomes a dead letter. It runs on
 * its own threads, so no receiver, however slow, holds up the read model.
 */
@Component
class WebhookDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final DeliveryQueue queue;
    private final WebhookSender sender;
    private final WebhookRetryPolicy retries;
    private final int workers;
    private final int perSubscription;
    private final Duration pollInterval;
    private final Duration lease;
    private final Semaphore idleWorkers;
    private final Semaphore wakeUp = new Semaphore(0);
    private final Counter delivered;
    private final Counter failed;
    private final Counter deadLettered;
    private volatile ExecutorService pool;
    private volatile Thread loop;

    WebhookDispatcher(
            DeliveryQueue queue,
            WebhookSender sender,
            WebhookRetryPolicy retries,
            @Value("${counter.webhooks.workers}") int workers,
            @Value("${counter.webhooks.max-in-flight-per-subscription}") int perSubscription,
            @Value("${counter.webhooks.poll-interval}") Duration pollInterval,
            @Value("${counter.webhooks.timeout}") Duration timeout,
            MeterRegistry meters) {
        this.queue = queue;
        this.sender = sender;
        this.retries = retries;
        this.workers = workers;
        this.perSubscription = perSubscription;
        this.pollInterval = pollInterval;
        this.lease = timeout.multipliedBy(3);
        this.idleWorkers = new Semaphore(workers);
        this.delivered = meters.counter("counter.webhooks.deliveries", "outcome", "delivered");
        this.failed = meters.counter("counter.webhooks.deliveries", "outcome", "failed");
        this.deadLettered = meters.counter("counter.webhooks.deliveries", "outcome", "dead-lettered");
    }

    /** New deliveries were committed: look now rather than at the next poll. */
    void wake() {
        wakeUp.release();
    }

    @Override
    public void start() {
        pool = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "webhook-worker");
            thread.setDaemon(true);
            return thread;
        });
        Thread thread = new Thread(this::dispatch, "webhook-dispatcher");
        thread.setDaemon(true);
        loop = thread;
        thread.start();
    }

    @Override
    public void stop() {
        Thread running = loop;
        loop = null;
        if (running != null) {
            running.interrupt();
        }
        pool.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return loop != null;
    }

    private void dispatch() {
        while (loop == Thread.currentThread()) {
            try {
                int free = idleWorkers.availablePermits();
                List<Delivery> due = free == 0 ? List.of() : queue.claim(free, perSubscription, lease);
                for (Delivery delivery : due) {
                    idleWorkers.acquire();
                    pool.execute(() -> deliver(delivery));
                }
                if (due.isEmpty()) {
                    wakeUp.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException stopped) {
                return;
            } catch (RuntimeException failure) {
                log.warn("Claiming webhook deliveries failed: {}", failure.toString());
                if (!pause()) {
                    return;
                }
            }
        }
    }

    private void deliver(Delivery delivery) {
        try {
            sender.send(delivery);
            queue.delivered(delivery);
            delivered.increment();
        } catch (RuntimeException failure) {
            int attempt = delivery.attempts() + 1;
            boolean dead = attempt >= retries.maxAttempts();
            String reason = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
            queue.failed(delivery, reason, retries.backoffAfter(attempt), dead);
            (dead ? deadLettered : failed).increment();
            log.debug(
                    "Delivery of {} to {} failed (attempt {}): {}",
                    delivery.eventId(),
                    delivery.callbackUrl(),
                    attempt,
                    reason);
        } finally {
            idleWorkers.release();
            wakeUp.release();
        }
    }

    private boolean pause() {
        try {
            Thread.sleep(pollInterval.toMillis() * 10);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
