package io.counterplatform.query.webhook;

import io.counterplatform.api.counter.InvalidCounterInput;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Runs delivery rounds: claims the subscriptions that have work (every poll interval, and at once when woken) and
 * runs one round of each on a worker. Healthy subscriptions and failing ones (whose last round had attempts and no
 * success) have pools of their own, so endpoints that are down, slow or unreachable take only the failing pool's
 * threads, never a healthy subscriber's. A failing subscription's rounds back off exponentially; one that has
 * failed for {@code counter.webhooks.disable-after} is disabled until its owner enables it again.
 */
@Component
class WebhookDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final DeliveryState state;
    private final EventStore events;
    private final WebhookSender sender;
    private final WebhookSettings settings;
    private final TaskScheduler dispatch;
    private final Pool healthy;
    private final Pool failing;
    private final Executor lanes;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final AtomicBoolean claimsFailing = new AtomicBoolean();
    private final Counter delivered;
    private final Counter failed;
    private final Counter deadLettered;
    private final Timer sending;
    private volatile ScheduledFuture<?> polling;

    WebhookDispatcher(
            DeliveryState state,
            EventStore events,
            WebhookSender sender,
            WebhookSettings settings,
            @Qualifier(WebhookProcessingConfiguration.DISPATCH) TaskScheduler dispatch,
            @Qualifier(WebhookProcessingConfiguration.WORKERS) Executor healthyWorkers,
            @Qualifier(WebhookProcessingConfiguration.FAILING_WORKERS) Executor failingWorkers,
            @Qualifier(WebhookProcessingConfiguration.LANES) Executor lanes,
            MeterRegistry meters) {
        this.lanes = lanes;
        this.state = state;
        this.events = events;
        this.sender = sender;
        this.settings = settings;
        this.dispatch = dispatch;
        this.healthy = new Pool(false, healthyWorkers, new Semaphore(settings.workers()));
        this.failing = new Pool(true, failingWorkers, new Semaphore(settings.failingWorkers()));
        this.delivered = meters.counter("counter.webhooks.deliveries", "outcome", "delivered");
        this.failed = meters.counter("counter.webhooks.deliveries", "outcome", "failed");
        this.deadLettered = meters.counter("counter.webhooks.deliveries", "outcome", "dead-lettered");
        this.sending = Timer.builder("counter.webhooks.delivery.latency")
                .description("one delivery attempt, from connecting to the receiver's answer")
                .publishPercentileHistogram()
                .register(meters);
        Gauge.builder("counter.webhooks.dead.letters", state, DeliveryState::deadLetterCount)
                .description("deliveries that failed every attempt, waiting for a redelivery")
                .register(meters);
    }

    /** A pool of workers, and how many of them are idle. */
    private record Pool(boolean failing, Executor workers, Semaphore idle) {}

    /** New events arrived, or a worker became free: look now rather than at the next poll. */
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

    /** Runs on the one dispatch thread only, so the idle workers it counts cannot be taken by another claim. */
    private void dispatchDue() {
        wakePending.set(false);
        try {
            TrackingToken headToken = events.createHeadToken();
            long head = headToken == null ? -1 : headToken.position().orElse(-1);
            for (Pool pool : new Pool[] {healthy, failing}) {
                int idle = pool.idle().availablePermits();
                if (idle > 0) {
                    for (ClaimedSubscription subscription :
                            state.claim(pool.failing(), idle, head, settings.lease(DeliveryRound.BUDGET))) {
                        pool.idle().acquireUninterruptibly();
                        pool.workers().execute(() -> round(subscription, head, pool));
                    }
                }
            }
            if (claimsFailing.compareAndSet(true, false)) {
                log.info("Claiming webhook subscriptions works again");
            }
        } catch (RuntimeException failure) {
            if (claimsFailing.compareAndSet(false, true)) {
                log.warn("Claiming webhook subscriptions failed, trying again every poll: {}", failure.toString());
            }
        }
    }

    private void round(ClaimedSubscription subscription, long head, Pool pool) {
        try {
            Instant started = Instant.now();
            RoundOutcome outcome = new DeliveryRound(
                            subscription,
                            () -> state.endpoint(subscription.id()).orElse(subscription.endpoint()),
                            state.holds(subscription.id()),
                            events,
                            this::attempt,
                            settings,
                            lanes)
                    .run(head);
            state.finish(subscription, outcome, verdict(subscription, head, outcome, started));
            outcome.attempted().values().stream().filter(Hold::dead).forEach(hold -> deadLettered.increment());
        } catch (RuntimeException failure) {
            // nothing recorded: the claim runs out, and the round is run again
            log.warn("A delivery round of subscription {} failed: {}", subscription.id(), failure.toString());
        } finally {
            pool.idle().release();
            wake();
        }
    }

    /** A round with a success is healthy; one whose every attempt failed backs off, and may disable it. */
    private DeliveryState.Verdict verdict(
            ClaimedSubscription subscription, long head, RoundOutcome outcome, Instant started) {
        if (outcome.succeeded() > 0) {
            return new DeliveryState.Verdict(null, 0, Duration.ZERO, false);
        }
        if (outcome.failed() == 0) {
            // nothing attempted: due again at once if the cursor moved or its gaps were read up to the head (no
            // later event waits a poll for it), else (a stream that had nothing for it yet) at the next poll
            boolean gapsRead = subscription.gapsToRead(head) && outcome.caughtUp();
            Duration wait = Objects.equals(outcome.cursor(), subscription.cursor()) && !gapsRead
                    ? settings.pollInterval()
                    : Duration.ZERO;
            return new DeliveryState.Verdict(subscription.failingSince(), subscription.failedRounds(), wait, false);
        }
        Instant since = subscription.failingSince() == null ? started : subscription.failingSince();
        int rounds = subscription.failedRounds() + 1;
        boolean disable = !Instant.now().isBefore(since.plus(settings.disableAfter()));
        if (disable) {
            log.info(
                    "Webhook subscription {} disabled: every delivery has failed since {} ({})",
                    subscription.id(),
                    since,
                    outcome.lastError());
        }
        return new DeliveryState.Verdict(since, rounds, settings.roundBackoff(rounds), disable);
    }

    /** One attempt, measured; null when it went through, else the reason in words of our own. */
    private String attempt(Endpoint endpoint, WebhookEvent event, int attempt) {
        try {
            sending.record(() -> sender.send(endpoint, event, attempt));
            delivered.increment();
            return null;
        } catch (RuntimeException failure) {
            failed.increment();
            // the sender's reasons are its own words; anything else could carry a library's text to the subscriber
            return failure instanceof IllegalStateException || failure instanceof InvalidCounterInput
                    ? failure.getMessage()
                    : "the delivery failed";
        }
    }
}
