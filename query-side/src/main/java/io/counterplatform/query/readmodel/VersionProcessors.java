package io.counterplatform.query.readmodel;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventProcessorSpanFactory;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.springboot.EventProcessorProperties;
import org.axonframework.springboot.TokenStoreProperties;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;
import org.springframework.validation.annotation.Validated;

/**
 * Builds the pooled streaming processor of a read model's version, as Axon's configuration builds those it knows
 * at start-up: its token store, transactions, spans, a handler failure that rolls the batch back, and the
 * {@code axon.eventhandling.processors.<model>} settings (source, threads, segments, batch size); with Axon Server,
 * its place on the server's dashboard.
 */
@Component
class VersionProcessors {

    private final BeanFactory beans;
    private final EventProcessorProperties properties;
    private final SharedTokenStore tokens;
    private final TransactionManager transactions;
    private final Configuration axon;
    private final ProjectionMetrics metrics;
    private final ReplaySettings replay;
    private final ProcessorDashboard dashboard;
    private final Duration claimTimeout;

    VersionProcessors(
            BeanFactory beans,
            EventProcessorProperties properties,
            SharedTokenStore tokens,
            TransactionManager transactions,
            Configuration axon,
            ProjectionMetrics metrics,
            ReplaySettings replay,
            ProcessorDashboard dashboard,
            TokenStoreProperties tokenStore) {
        this.beans = beans;
        this.properties = properties;
        this.tokens = tokens;
        this.transactions = transactions;
        this.axon = axon;
        this.metrics = metrics;
        this.replay = replay;
        this.dashboard = dashboard;
        this.claimTimeout = tokenStore.getClaimTimeout();
    }

    /** A processor of the version, started: it claims what segments are free and picks up from their tokens. */
    @SuppressWarnings("unchecked")
    Running start(ReadModelVersion version, Object projection) {
        EventProcessorProperties.ProcessorSettings settings = properties
                .getProcessors()
                .getOrDefault(version.model(), new EventProcessorProperties.ProcessorSettings());
        String name = version.processor();
        boolean throttled = replay.maxEventsPerSecond() > 0;
        ScheduledExecutorService coordinator =
                Executors.newScheduledThreadPool(1, new AxonThreadFactory("Coordinator[" + name + "]"));
        ScheduledExecutorService workers = Executors.newScheduledThreadPool(
                settings.getThreadCount(), new AxonThreadFactory("WorkPackage[" + name + "]"));
        PooledStreamingEventProcessor processor = PooledStreamingEventProcessor.builder()
                .name(name)
                .eventHandlerInvoker(SimpleEventHandlerInvoker.builder()
                        .eventHandlers(projection)
                        .parameterResolverFactory(axon.parameterResolverFactory())
                        .handlerDefinition(axon.handlerDefinition(projection.getClass()))
                        .listenerInvocationErrorHandler(PropagatingErrorHandler.instance())
                        .build())
                .messageSource((StreamableMessageSource<TrackedEventMessage<?>>) beans.getBean(settings.getSource()))
                .tokenStore(tokens)
                .transactionManager(transactions)
                .spanFactory(axon.getComponent(EventProcessorSpanFactory.class))
                .coordinatorExecutor(coordinator)
                .workerExecutor(workers)
                // claims renewed well within their timeout, however short it is set; and a segment that sees none
                // of its own events stores how far it has read twice a second, within a switch's wait for it
                .claimExtensionThreshold(Math.min(claimTimeout.toMillis() / 2, 500))
                .initialSegmentCount(settings.getInitialSegmentCount() == null ? 1 : settings.getInitialSegmentCount())
                // a throttled batch takes a second at most, well within its claim, with every thread of this
                // instance waiting on the same limit
                .batchSize(
                        throttled
                                ? Math.min(
                                        settings.getBatchSize(),
                                        Math.max(1, replay.maxEventsPerSecond() / settings.getThreadCount()))
                                : settings.getBatchSize())
                .build();
        processor.registerHandlerInterceptor(new CorrelationDataInterceptor<>(axon.correlationDataProviders()));
        processor.registerHandlerInterceptor(metrics.interceptor(name));
        if (throttled) {
            RateLimiter history = RateLimiter.of(
                    name,
                    RateLimiterConfig.custom()
                            .limitForPeriod(replay.maxEventsPerSecond())
                            .limitRefreshPeriod(Duration.ofSeconds(1))
                            .timeoutDuration(Duration.ofMinutes(1))
                            .build());
            // Axon's initial token replays the history up to the head the version began at, and says so
            processor.registerHandlerInterceptor((unitOfWork, chain) -> {
                if (ReplayToken.isReplay(unitOfWork.getMessage())) {
                    RateLimiter.waitForPermission(history);
                }
                return chain.proceed();
            });
        }
        Runnable hide = dashboard.show(processor); // first: if that fails, nothing runs that no one stops
        processor.start();
        return new Running(processor, () -> {
            hide.run(); // first: the dashboard's start button can no longer bring it back
            return processor
                    .shutdownAsync()
                    .completeOnTimeout(null, 10, TimeUnit.SECONDS)
                    .whenComplete((stopped, failure) -> {
                        coordinator.shutdown();
                        workers.shutdown();
                        metrics.forget(name);
                    });
        });
    }

    /**
     * {@code counter.replay}: {@code maxEventsPerSecond} optionally limits the rate at which each instance reads
     * history into a new version, to spare a busy database (0: none); events stored after it began are never held.
     */
    @ConfigurationProperties("counter.replay")
    @Validated
    record ReplaySettings(@DefaultValue("0") @Min(0) int maxEventsPerSecond) {}

    /**
     * A version's processor on this instance; stopping it waits for its batches in flight and releases its claims,
     * for this or another instance.
     */
    record Running(StreamingEventProcessor processor, Supplier<CompletableFuture<Void>> stop) {}
}
