package io.counterplatform.standin;

import io.axoniq.axonserver.grpc.InstructionAck;
import io.axoniq.axonserver.grpc.control.ClientIdentification;
import io.axoniq.axonserver.grpc.control.EventProcessorInfo;
import io.axoniq.axonserver.grpc.control.NodeInfo;
import io.axoniq.axonserver.grpc.control.PlatformInboundInstruction;
import io.axoniq.axonserver.grpc.control.PlatformInfo;
import io.axoniq.axonserver.grpc.control.PlatformOutboundInstruction;
import io.axoniq.axonserver.grpc.control.PlatformServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Axon Server's platform service, as far as a client needs it: this node is the one to use, on this very connection,
 * and every instruction that carries an id (heartbeats above all, without whose acknowledgement a client drops its
 * connection) is acknowledged. It keeps the latest status each client reports of each event processor, sends the
 * dashboard's instructions (pause, split), and keeps the clients' answers to them.
 */
final class PlatformStandIn extends PlatformServiceGrpc.PlatformServiceImplBase {

    private final int port;
    private final Map<String, EventProcessorInfo> processors = new ConcurrentHashMap<>();
    private final Set<StreamObserver<PlatformOutboundInstruction>> clients = ConcurrentHashMap.newKeySet();
    private final Map<String, Boolean> answers = new ConcurrentHashMap<>();

    PlatformStandIn(int port) {
        this.port = port;
    }

    @Override
    public void getPlatformServer(ClientIdentification client, StreamObserver<PlatformInfo> info) {
        info.onNext(PlatformInfo.newBuilder()
                .setPrimary(NodeInfo.newBuilder()
                        .setHostName("localhost")
                        .setGrpcPort(port)
                        .setNodeName("axonserver-standin"))
                .setSameConnection(true)
                .build());
        info.onCompleted();
    }

    @Override
    public StreamObserver<PlatformInboundInstruction> openStream(StreamObserver<PlatformOutboundInstruction> outbound) {
        clients.add(outbound);
        return new StreamObserver<>() {
            @Override
            public void onNext(PlatformInboundInstruction instruction) {
                if (instruction.hasEventProcessorInfo()) {
                    EventProcessorInfo info = instruction.getEventProcessorInfo();
                    processors.put(info.getProcessorName(), info);
                }
                if (instruction.hasResult()) {
                    answers.put(
                            instruction.getResult().getInstructionId(),
                            instruction.getResult().getSuccess());
                }
                if (instruction.hasAck()) {
                    answers.put(
                            instruction.getAck().getInstructionId(),
                            instruction.getAck().getSuccess());
                }
                if (!instruction.getInstructionId().isEmpty()) {
                    synchronized (outbound) {
                        outbound.onNext(PlatformOutboundInstruction.newBuilder()
                                .setAck(InstructionAck.newBuilder()
                                        .setInstructionId(instruction.getInstructionId())
                                        .setSuccess(true))
                                .build());
                    }
                }
            }

            @Override
            public void onError(Throwable gone) {
                clients.remove(outbound); // the client reconnects with a new stream
            }

            @Override
            public void onCompleted() {
                clients.remove(outbound);
                synchronized (outbound) {
                    outbound.onCompleted();
                }
            }
        };
    }

    /** The latest status of each event processor, by name, as the clients report it. */
    Map<String, EventProcessorInfo> processors() {
        return Map.copyOf(processors);
    }

    /** Whether the instruction went through, once a client has answered it. */
    Optional<Boolean> answer(String instructionId) {
        return Optional.ofNullable(answers.get(instructionId));
    }

    /** Sends every client the instruction, with an id of its own; returns the id. */
    String instruct(PlatformOutboundInstruction.Builder instruction) {
        String id = UUID.randomUUID().toString();
        PlatformOutboundInstruction sent = instruction.setInstructionId(id).build();
        for (StreamObserver<PlatformOutboundInstruction> client : clients) {
            try {
                synchronized (client) {
                    client.onNext(sent);
                }
            } catch (RuntimeException gone) {
                clients.remove(client); // a stream the client has left: the others still get it
            }
        }
        return id;
    }
}
