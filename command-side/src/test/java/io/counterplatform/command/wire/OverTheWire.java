package io.counterplatform.command.wire;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** The service's own command bus (its local segment), behind a {@link SerializingCommandBus}. */
@TestConfiguration
class OverTheWire {

    @Bean
    @Primary
    CommandBus overTheWire(
            @Qualifier("localSegment") CommandBus localSegment,
            @Qualifier("messageSerializer") Serializer messageSerializer) {
        return new SerializingCommandBus(localSegment, messageSerializer);
    }
}
