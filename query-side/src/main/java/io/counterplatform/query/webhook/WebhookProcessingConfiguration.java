package io.counterplatform.query.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.net.InetAddress;
import java.util.concurrent.ThreadPoolExecutor;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The webhook processor, the threads deliveries run on (each pool sized by {@code counter.webhooks}), and name
 * resolution. The processor starts at the head of the stream the first time it runs: subscriptions only ever
 * want events that come after them, so there is no history to read.
 */
@Configuration(proxyBeanMethods = false)
class WebhookProcessingConfiguration {

    static final String DISPATCH = "webhookDispatch";
    static final String DEADLINES = "webhookDeadlines";
    static final String WORKERS = "webhookWorkers";
    static final String FAILING_WORKERS = "failingWebhookWorkers";
    static final String LANES = "webhookLanes";
    static final String REQUEST_LOOKUPS = "callbackLookups";
    static final String DELIVERY_LOOKUPS = "deliveryLookups";
    /** Lookups in flight at once for requests: a name server that hangs ties up these threads, and nothing else. */
    private static final int CONCURRENT_LOOKUPS = 8;
    /** Names being looked up at once for deliveries. */
    private static final int DELIVERY_LOOKUP_THREADS = 256;

    @Autowired
    void startAtTheHead(EventProcessingConfigurer processing) {
        processing.registerPooledStreamingEventProcessorConfiguration(
                NewEventsSignal.NAME,
                (configuration, builder) -> builder.initialToken(StreamableMessageSource::createHeadToken));
    }

    /** One thread claims subscriptions, so the idle workers it counts are never counted twice. */
    @Bean(DISPATCH)
    ThreadPoolTaskScheduler webhookDispatch(ThreadPoolTaskSchedulerBuilder schedulers) {
        return schedulers.threadNamePrefix("webhook-dispatch-").poolSize(1).build();
    }

    /**
     * Cuts off deliveries at their deadline (a cancel, nothing more), on a thread of its own: nothing the dispatcher
     * waits for can delay a deadline, so no round outlives its lease. A cancelled deadline leaves the queue.
     */
    @Bean(DEADLINES)
    ThreadPoolTaskScheduler webhookDeadlines(ThreadPoolTaskSchedulerBuilder schedulers) {
        ThreadPoolTaskScheduler deadlines =
                schedulers.threadNamePrefix("webhook-deadline-").poolSize(1).build();
        deadlines.setRemoveOnCancelPolicy(true);
        return deadlines;
    }

    /** In-flight deliveries are cut off at shutdown: unacknowledged, they are delivered again when their claim ends. */
    @Bean(WORKERS)
    ThreadPoolTaskExecutor webhookWorkers(ThreadPoolTaskExecutorBuilder executors, WebhookSettings settings) {
        return fixed(executors, "webhook-worker-", settings.workers()).build();
    }

    /**
     * The further lanes of healthy subscriptions' rounds (a round's first lane is its worker): enough for every
     * worker's round, and when none is free the round runs the lane itself, so a round never waits for a thread.
     */
    @Bean(LANES)
    ThreadPoolTaskExecutor webhookLanes(ThreadPoolTaskExecutorBuilder executors, WebhookSettings settings) {
        int lanes = Math.max(1, settings.workers() * (settings.maxInFlightPerSubscription() - 1));
        ThreadPoolTaskExecutor executor = unqueued(executors, "webhook-lane-", lanes);
        executor.setRejectedExecutionHandler(new ThreadPoolExecutor.CallerRunsPolicy());
        return executor;
    }

    /** Rounds of subscriptions whose endpoint fails: however many there are, they take these threads only. */
    @Bean(FAILING_WORKERS)
    ThreadPoolTaskExecutor failingWebhookWorkers(ThreadPoolTaskExecutorBuilder executors, WebhookSettings settings) {
        return fixed(executors, "webhook-retry-", settings.failingWorkers()).build();
    }

    /** No queue: a lookup that finds every thread busy is refused at once rather than waiting behind slow ones. */
    @Bean(REQUEST_LOOKUPS)
    ThreadPoolTaskExecutor callbackLookups(ThreadPoolTaskExecutorBuilder executors) {
        return unqueued(executors, "callback-lookup-", CONCURRENT_LOOKUPS);
    }

    /**
     * A delivery's lookup waits for no request's. One lookup per name at a time, so a name server that never
     * answers holds one thread per name until the system's resolver gives up; threads blocked on a name server
     * cost little, so there are many, and they end when idle.
     */
    @Bean(DELIVERY_LOOKUPS)
    ThreadPoolTaskExecutor deliveryLookups(ThreadPoolTaskExecutorBuilder executors) {
        return unqueued(executors, "delivery-lookup-", DELIVERY_LOOKUP_THREADS);
    }

    /** Threads without a queue: a task that finds every one busy is refused (or run by its caller, per policy). */
    private static ThreadPoolTaskExecutor unqueued(
            ThreadPoolTaskExecutorBuilder executors, String prefix, int threads) {
        return fixed(executors, prefix, threads)
                .queueCapacity(0)
                .allowCoreThreadTimeOut(true)
                .build();
    }

    private static ThreadPoolTaskExecutorBuilder fixed(
            ThreadPoolTaskExecutorBuilder executors, String prefix, int threads) {
        return executors.threadNamePrefix(prefix).corePoolSize(threads).maxPoolSize(threads);
    }

    @Bean
    CallbackTargetPolicy callbackTargetPolicy(
            WebhookSettings settings,
            @Qualifier(REQUEST_LOOKUPS) AsyncTaskExecutor requestLookups,
            @Qualifier(DELIVERY_LOOKUPS) AsyncTaskExecutor deliveryLookups) {
        return new CallbackTargetPolicy(
                settings.allowPrivateTargets(),
                settings.resolveTimeout(),
                InetAddress::getAllByName,
                requestLookups,
                deliveryLookups);
    }

    @Bean
    WebhookSender webhookSender(
            ObjectMapper json,
            CallbackTargetPolicy targets,
            WebhookSettings settings,
            @Qualifier(DEADLINES) TaskScheduler deadlines,
            Tracer tracer,
            Propagator propagator) {
        return new WebhookSender(json, targets, settings.timeout(), deadlines, tracer, propagator);
    }
}
