package io.counterplatform.command.wire;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolver;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** The service's command bus, built as Axon's auto-configuration builds it, behind a {@link SerializingCommandBus}. */
@TestConfiguration
class OverTheWire {

    @Bean
    CommandBus commandBus(
            TransactionManager transactionManager,
            Configuration axon,
            DuplicateCommandHandlerResolver duplicates,
            @Qualifier("messageSerializer") Serializer messageSerializer) {
        SimpleCommandBus localSegment = SimpleCommandBus.builder()
                .transactionManager(transactionManager)
                .duplicateCommandHandlerResolver(duplicates)
                .spanFactory(axon.getComponent(CommandBusSpanFactory.class))
                .messageMonitor(axon.messageMonitor(CommandBus.class, "commandBus"))
                .build();
        localSegment.registerHandlerInterceptor(new CorrelationDataInterceptor<>(axon.correlationDataProviders()));
        return new SerializingCommandBus(localSegment, messageSerializer);
    }
}
