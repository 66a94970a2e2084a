package io.counterplatform.command.wire;

import io.axoniq.axonserver.grpc.command.Command;
import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.command.CommandSerializer;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.callbacks.NoOpCallback;
import org.axonframework.common.Registration;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.serialization.Serializer;

/**
 * A command bus that sends every command and its result (or its failure with details) through the Axon Server
 * connector's own {@link CommandSerializer}, configured with the application's message serializer, and reads it
 * back on the other side, as {@code AxonServerCommandBus} and its handling peer do. No server is involved.
 */
final class SerializingCommandBus implements CommandBus {

    private final CommandBus localSegment;
    private final CommandSerializer serializer;

    SerializingCommandBus(CommandBus localSegment, Serializer messageSerializer) {
        AxonServerConfiguration server = new AxonServerConfiguration();
        server.setComponentName("command-side");
        this.localSegment = localSegment;
        this.serializer = new CommandSerializer(messageSerializer, server);
    }

    @Override
    public <C> void dispatch(CommandMessage<C> command) {
        dispatch(command, NoOpCallback.INSTANCE);
    }

    @Override
    public <C, R> void dispatch(CommandMessage<C> command, CommandCallback<? super C, ? super R> callback) {
        Command sent = serializer.serialize(command, command.getIdentifier(), 0);
        localSegment.dispatch(
                serializer.deserialize(sent),
                (received, result) -> callback.onResult(
                        command, serializer.deserialize(serializer.serialize(result, sent.getMessageIdentifier()))));
    }

    @Override
    public Registration subscribe(String commandName, MessageHandler<? super CommandMessage<?>> handler) {
        return localSegment.subscribe(commandName, handler);
    }

    @Override
    public Registration registerHandlerInterceptor(
            MessageHandlerInterceptor<? super CommandMessage<?>> handlerInterceptor) {
        return localSegment.registerHandlerInterceptor(handlerInterceptor);
    }

    @Override
    public Registration registerDispatchInterceptor(
            MessageDispatchInterceptor<? super CommandMessage<?>> dispatchInterceptor) {
        return localSegment.registerDispatchInterceptor(dispatchInterceptor);
    }
}
