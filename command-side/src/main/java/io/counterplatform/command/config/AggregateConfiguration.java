package io.counterplatform.command.config;

import com.github.benmanes.caffeine.jcache.configuration.CaffeineConfiguration;
import com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider;
import io.counterplatform.api.counter.IncrementCounter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.JCacheMetrics;
import java.net.URI;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ThreadPoolExecutor;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.JCacheAdapter;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.SnapshotterSpanFactory;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/** Snapshots and caching for the Counter aggregate, named by its {@code @Aggregate} annotation. */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
class AggregateConfiguration {

    /** Where snapshots are taken: one thread; when it is behind, a snapshot is skipped and the next trigger takes it. */
    @Bean
    ThreadPoolTaskExecutor snapshotTaker(ThreadPoolTaskExecutorBuilder executors) {
        ThreadPoolTaskExecutor snapshots = executors
                .threadNamePrefix("snapshots-")
                .corePoolSize(1)
                .maxPoolSize(1)
                .queueCapacity(1_000)
                .build();
        snapshots.setRejectedExecutionHandler(new ThreadPoolExecutor.DiscardPolicy());
        return snapshots;
    }

    /** Axon's snapshotter as its auto-configuration builds it, but off the committer's thread. */
    @Bean
    SpringAggregateSnapshotter aggregateSnapshotter(
            Configuration axon,
            HandlerDefinition handlerDefinition,
            ParameterResolverFactory parameterResolverFactory,
            EventStore eventStore,
            TransactionManager transactionManager,
            SnapshotterSpanFactory spans,
            ThreadPoolTaskExecutor snapshotTaker) {
        return SpringAggregateSnapshotter.builder()
                .repositoryProvider(axon::repository)
                .transactionManager(transactionManager)
                .eventStore(eventStore)
                .parameterResolverFactory(parameterResolverFactory)
                .handlerDefinition(handlerDefinition)
                .spanFactory(spans)
                .executor(snapshotTaker)
                .build();
    }

    @Bean
    SnapshotTriggerDefinition counterSnapshotTrigger(
            Snapshotter snapshotter, CommandSettings settings, MeterRegistry meters) {
        Counter snapshots = Counter.builder("counter.aggregate.snapshots")
                .description("snapshots of counters taken")
                .register(meters);
        Snapshotter counted = (type, id) -> {
            snapshots.increment();
            snapshotter.scheduleSnapshot(type, id);
        };
        return new LoadCountingSnapshotTrigger(
                new EventCountSnapshotTriggerDefinition(counted, settings.snapshotThreshold()),
                DistributionSummary.builder("counter.aggregate.events.loaded")
                        .description("events replayed by each load of a counter from the store (cache misses)")
                        .register(meters));
    }

    /**
     * The counter a command targets. Axon's annotation-driven resolver looks up the annotated field of the command
     * by reflection for every command; this answers the same from the record's accessor.
     */
    @Bean
    CommandTargetResolver counterTargetResolver() {
        return command -> new VersionedAggregateIdentifier(((IncrementCounter) command.getPayload()).counterId(), null);
    }

    /** A cache manager of this application context's own, closed with it (test contexts share a JVM). */
    @Bean(destroyMethod = "close")
    CacheManager counterCacheManager() {
        return Caching.getCachingProvider(CaffeineCachingProvider.class.getName())
                .getCacheManager(
                        URI.create("counter-platform:" + UUID.randomUUID()),
                        getClass().getClassLoader());
    }

    /**
     * Counters in memory, the least recently used evicted beyond the bound. A strong cache: a weak one loses its
     * entries at every garbage collection, and under load almost every command reloaded its counter. Axon evicts
     * the counter of every unit of work that rolls back, so the cache only ever holds committed state.
     */
    @Bean
    Cache counterCache(CacheManager counterCacheManager, CommandSettings settings, MeterRegistry meters) {
        CaffeineConfiguration<Object, Object> configuration = new CaffeineConfiguration<>();
        configuration.setMaximumSize(OptionalLong.of(settings.cache().maxCounters()));
        configuration.setStoreByValue(false); // an aggregate is cached as it is, never copied
        configuration.setStatisticsEnabled(true);
        javax.cache.Cache<Object, Object> counters = counterCacheManager.createCache("counters", configuration);
        JCacheMetrics.monitor(meters, counters);
        return new JCacheAdapter(counters);
    }
}
