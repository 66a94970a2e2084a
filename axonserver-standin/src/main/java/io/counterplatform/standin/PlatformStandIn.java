package io.counterplatform.standin;

import io.axoniq.axonserver.grpc.InstructionAck;
import io.axoniq.axonserver.grpc.control.ClientIdentification;
import io.axoniq.axonserver.grpc.control.EventProcessorInfo;
import io.axoniq.axonserver.grpc.control.EventProcessorReference;
import io.axoniq.axonserver.grpc.control.NodeInfo;
import io.axoniq.axonserver.grpc.control.PlatformInboundInstruction;
import io.axoniq.axonserver.grpc.control.PlatformInfo;
import io.axoniq.axonserver.grpc.control.PlatformOutboundInstruction;
import io.axoniq.axonserver.grpc.control.PlatformServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Axon Server's platform service, as far as a client needs it: this node is the one to use, on this very connection,
 * and every instruction that carries an id (heartbeats above all, without whose acknowledgement a client drops its
 * connection) is acknowledged. It keeps the latest status each client reports of each event processor, and pauses
 * one as the dashboard's button does.
 */
final class PlatformStandIn extends PlatformServiceGrpc.PlatformServiceImplBase {

    private final int port;
    private final Map<String, EventProcessorInfo> processors = new ConcurrentHashMap<>();
    private final Set<StreamObserver<PlatformOutboundInstruction>> clients = ConcurrentHashMap.newKeySet();

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

    /** Asks every client to pause the processor. */
    void pause(String processor) {
        PlatformOutboundInstruction pause = PlatformOutboundInstruction.newBuilder()
                .setInstructionId(UUID.randomUUID().toString())
                .setPauseEventProcessor(EventProcessorReference.newBuilder().setProcessorName(processor))
                .build();
        for (StreamObserver<PlatformOutboundInstruction> client : clients) {
            synchronized (client) {
                client.onNext(pause);
            }
        }
    }
}
