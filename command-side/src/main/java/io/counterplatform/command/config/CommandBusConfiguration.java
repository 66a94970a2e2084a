package io.counterplatform.command.config;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolver;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;

/**
 * The command bus that handles commands in this process, as Axon's auto-configuration builds it, with group
 * commit. It is the local segment in both modes: Axon Server routes commands to it in the {@code axonserver}
 * profile.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
class CommandBusConfiguration {

    @Bean
    @Qualifier("localSegment")
    CommandBus commandBus(
            TransactionManager transactionManager,
            Configuration axon,
            DuplicateCommandHandlerResolver duplicates,
            CommandSettings settings,
            MeterRegistry meters) {
        GroupCommitCommandBus commandBus = new GroupCommitCommandBus(
                SimpleCommandBus.builder()
                        .duplicateCommandHandlerResolver(duplicates)
                        .messageMonitor(axon.messageMonitor(CommandBus.class, "commandBus")),
                transactionManager,
                axon.getComponent(CommandBusSpanFactory.class),
                settings.groupCommit().maxBatch(),
                meters);
        commandBus.registerHandlerInterceptor(new CorrelationDataInterceptor<>(axon.correlationDataProviders()));
        return commandBus;
    }
}
