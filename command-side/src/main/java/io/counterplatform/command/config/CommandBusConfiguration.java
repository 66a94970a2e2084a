package io.counterplatform.command.config;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolver;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The command bus that handles commands in this process, as Axon's auto-configuration builds it, with group
 * commit. It is the local segment in both modes: Axon Server routes commands to it in the {@code axonserver}
 * profile.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
class CommandBusConfiguration {

    /** A batch that has not committed within this is a store that does not answer. */
    private static final Duration STALLED = Duration.ofSeconds(2);

    /** Commits the batches, so that a request's own thread only waits for its answer, and no longer than it may. */
    @Bean
    ThreadPoolTaskExecutor groupCommitter(ThreadPoolTaskExecutorBuilder executors, CommandSettings settings) {
        ThreadPoolTaskExecutor committer = executors
                .threadNamePrefix("group-commit-")
                .corePoolSize(1)
                .maxPoolSize(1)
                .allowCoreThreadTimeOut(false)
                // at shutdown the batch being committed, and the turn that waits behind it, are seen through
                .awaitTermination(true)
                .awaitTerminationPeriod(settings.commandTimeout())
                .build();
        // requests still in flight while the web server drains them keep their committer
        committer.setAcceptTasksAfterContextClose(true);
        return committer;
    }

    @Bean
    @Qualifier("localSegment")
    GroupCommitCommandBus commandBus(
            TransactionManager transactionManager,
            Cache counterCache,
            Configuration axon,
            DuplicateCommandHandlerResolver duplicates,
            ThreadPoolTaskExecutor groupCommitter,
            CommandSettings settings,
            MeterRegistry meters,
            ObjectProvider<PreloadingStorageEngine> preloading,
            CommandTargetResolver counterTargetResolver) {
        GroupCommitCommandBus commandBus = new GroupCommitCommandBus(
                SimpleCommandBus.builder()
                        .duplicateCommandHandlerResolver(duplicates)
                        .messageMonitor(axon.messageMonitor(CommandBus.class, "commandBus")),
                axon.getComponent(CommandBusSpanFactory.class),
                transactionManager,
                counterCache,
                groupCommitter,
                settings,
                meters,
                preloadUncached(preloading.getIfAvailable(), counterCache, counterTargetResolver));
        commandBus.registerHandlerInterceptor(new CorrelationDataInterceptor<>(axon.correlationDataProviders()));
        return commandBus;
    }

    /**
     * In jdbc mode, the counters of a batch that are not in memory are read in one query before its commands are
     * handled, instead of two or three queries each as the commands load them. On Axon Server an aggregate is one
     * read already.
     */
    private static Consumer<BatchingUnitOfWork<CommandMessage<?>>> preloadUncached(
            PreloadingStorageEngine engine, Cache counters, CommandTargetResolver targets) {
        if (engine == null) { // Axon Server mode
            return batch -> {};
        }
        return batch -> engine.preload(
                batch,
                batch.getMessages().stream()
                        .map(command -> targets.resolveTarget(command).getIdentifier())
                        .filter(counter -> !counters.containsKey(counter))
                        .collect(Collectors.toSet()));
    }

    /**
     * Down while a batch has waited for the store longer than a healthy store ever takes: a database or Axon Server
     * that hangs rather than refuses (one that refuses is seen by their own health indicators).
     */
    @Bean
    HealthIndicator writePath(GroupCommitCommandBus commandBus) {
        return () -> {
            Duration busy = commandBus.busyFor();
            return busy.compareTo(STALLED) > 0
                    ? Health.down()
                            .withDetail("reason", "a commit has waited " + busy.toMillis() + " ms for the store")
                            .build()
                    : Health.up().build();
        };
    }
}
