package io.counterplatform.command.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.axoniq.axonserver.grpc.MetaDataValue;
import java.util.Map;
import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.command.CommandSerializer;
import org.axonframework.axonserver.connector.util.GrpcMetaDataConverter;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

/**
 * A trace continues across Axon Server because its context rides in the messages' metadata: the connector's own
 * converters carry the {@code traceparent} of a command to its handler, and of an event into the store and back,
 * as text.
 */
class TraceContextOverTheWireTest {

    private static final String TRACE_PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private final Serializer serializer = JacksonSerializer.defaultSerializer();

    @Test
    void aCommandArrivesWithItsTraceParent() {
        AxonServerConfiguration server = new AxonServerConfiguration();
        server.setComponentName("command-side");
        CommandSerializer commands = new CommandSerializer(serializer, server);
        CommandMessage<String> sent = GenericCommandMessage.<String>asCommandMessage("increment")
                .andMetaData(Map.of("traceparent", TRACE_PARENT));

        CommandMessage<?> received = commands.deserialize(commands.serialize(sent, "command-side", 0));

        assertThat(received.getMetaData()).containsEntry("traceparent", TRACE_PARENT);
    }

    @Test
    void anEventIsStoredWithItsTraceParentAsTextAndReadBackAsAString() {
        GrpcMetaDataConverter converter = new GrpcMetaDataConverter(serializer);

        MetaDataValue stored = converter.convertToMetaDataValue(TRACE_PARENT);

        assertThat(stored.getTextValue()).isEqualTo(TRACE_PARENT);
        assertThat(converter.convert(Map.of("traceparent", stored)).get("traceparent"))
                .isEqualTo(TRACE_PARENT);
    }
}
