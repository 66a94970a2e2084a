package io.counterplatform.standin;

import io.axoniq.axonserver.grpc.ErrorMessage;
import io.axoniq.axonserver.grpc.InstructionAck;
import io.axoniq.axonserver.grpc.ProcessingInstruction;
import io.axoniq.axonserver.grpc.ProcessingKey;
import io.axoniq.axonserver.grpc.command.Command;
import io.axoniq.axonserver.grpc.command.CommandProviderInbound;
import io.axoniq.axonserver.grpc.command.CommandProviderOutbound;
import io.axoniq.axonserver.grpc.command.CommandResponse;
import io.axoniq.axonserver.grpc.command.CommandServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Axon Server's command routing, as the server answers on the wire: handlers subscribe on their stream (each
 * subscription acknowledged), a dispatched command goes to one of the handlers of its name chosen by its routing key
 * (the same key, the same handler, while they stay subscribed), within the permits the handler granted, and its
 * response goes back to the dispatcher; a command no one handles is answered with {@code AXONIQ-4000}.
 */
final class CommandStandIn extends CommandServiceGrpc.CommandServiceImplBase {

    private final Map<String, Set<Handler>> handlers = new ConcurrentHashMap<>();
    private final Map<String, StreamObserver<CommandResponse>> waiting = new ConcurrentHashMap<>();

    @Override
    public StreamObserver<CommandProviderOutbound> openStream(StreamObserver<CommandProviderInbound> inbound) {
        Handler handler = new Handler(inbound);
        return new StreamObserver<>() {
            @Override
            public void onNext(CommandProviderOutbound instruction) {
                switch (instruction.getRequestCase()) {
                    case SUBSCRIBE -> {
                        handler.clientId = instruction.getSubscribe().getClientId();
                        handlers.computeIfAbsent(
                                        instruction.getSubscribe().getCommand(), name -> new CopyOnWriteArraySet<>())
                                .add(handler);
                    }
                    case UNSUBSCRIBE ->
                        handlers.getOrDefault(instruction.getUnsubscribe().getCommand(), Set.of())
                                .remove(handler);
                    case FLOW_CONTROL ->
                        handler.grant(instruction.getFlowControl().getPermits());
                    case COMMAND_RESPONSE -> answer(instruction.getCommandResponse());
                    default -> {
                        // acknowledgements of nothing this stand-in asked for
                    }
                }
                if (!instruction.getInstructionId().isEmpty()) {
                    handler.send(CommandProviderInbound.newBuilder()
                            .setAck(InstructionAck.newBuilder()
                                    .setInstructionId(instruction.getInstructionId())
                                    .setSuccess(true))
                            .build());
                }
            }

            @Override
            public void onError(Throwable gone) {
                handlers.values().forEach(subscribed -> subscribed.remove(handler));
            }

            @Override
            public void onCompleted() {
                handlers.values().forEach(subscribed -> subscribed.remove(handler));
                inbound.onCompleted();
            }
        };
    }

    @Override
    public void dispatch(Command command, StreamObserver<CommandResponse> response) {
        List<Handler> candidates = handlers.getOrDefault(command.getName(), Set.of()).stream()
                .sorted(Comparator.comparing(candidate -> candidate.clientId))
                .toList();
        if (candidates.isEmpty()) {
            response.onNext(CommandResponse.newBuilder()
                    .setMessageIdentifier(UUID.randomUUID().toString())
                    .setRequestIdentifier(command.getMessageIdentifier())
                    .setErrorCode("AXONIQ-4000")
                    .setErrorMessage(ErrorMessage.newBuilder()
                            .setMessage("No Handler for command: " + command.getName())
                            .setLocation("AxonServer")
                            .setErrorCode("AXONIQ-4000"))
                    .build());
            response.onCompleted();
            return;
        }
        waiting.put(command.getMessageIdentifier(), response);
        candidates
                .get(Math.floorMod(routingKey(command).hashCode(), candidates.size()))
                .send(CommandProviderInbound.newBuilder().setCommand(command).build());
    }

    private void answer(CommandResponse result) {
        StreamObserver<CommandResponse> dispatcher = waiting.remove(result.getRequestIdentifier());
        if (dispatcher != null) {
            dispatcher.onNext(result);
            dispatcher.onCompleted();
        }
    }

    private static String routingKey(Command command) {
        return command.getProcessingInstructionsList().stream()
                .filter(instruction -> instruction.getKey() == ProcessingKey.ROUTING_KEY)
                .map(ProcessingInstruction::getValue)
                .map(value -> value.getTextValue())
                .findFirst()
                .orElse(command.getMessageIdentifier());
    }

    /** A handler's stream: commands it may be sent now, and those that wait for its permits. */
    private static final class Handler {

        private final StreamObserver<CommandProviderInbound> stream;
        private final Queue<CommandProviderInbound> held = new ArrayDeque<>();
        private volatile String clientId = "";
        private long permits;

        private Handler(StreamObserver<CommandProviderInbound> stream) {
            this.stream = stream;
        }

        private synchronized void grant(long more) {
            permits += more;
            while (permits > 0 && !held.isEmpty()) {
                permits--;
                stream.onNext(held.poll());
            }
        }

        /** Acknowledgements go at once; commands take a permit each. */
        private synchronized void send(CommandProviderInbound message) {
            if (message.hasCommand() && permits == 0) {
                held.add(message);
                return;
            }
            if (message.hasCommand()) {
                permits--;
            }
            stream.onNext(message);
        }
    }
}
