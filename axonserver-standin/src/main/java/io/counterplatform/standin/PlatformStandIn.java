package io.counterplatform.standin;

import io.axoniq.axonserver.grpc.InstructionAck;
import io.axoniq.axonserver.grpc.control.ClientIdentification;
import io.axoniq.axonserver.grpc.control.NodeInfo;
import io.axoniq.axonserver.grpc.control.PlatformInboundInstruction;
import io.axoniq.axonserver.grpc.control.PlatformInfo;
import io.axoniq.axonserver.grpc.control.PlatformOutboundInstruction;
import io.axoniq.axonserver.grpc.control.PlatformServiceGrpc;
import io.grpc.stub.StreamObserver;

/**
 * Axon Server's platform service, as far as a client needs it: this node is the one to use, on this very connection,
 * and every instruction that carries an id (heartbeats above all, without whose acknowledgement a client drops its
 * connection) is acknowledged.
 */
final class PlatformStandIn extends PlatformServiceGrpc.PlatformServiceImplBase {

    private final int port;

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
        return new StreamObserver<>() {
            @Override
            public void onNext(PlatformInboundInstruction instruction) {
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
                // the client reconnects with a new stream
            }

            @Override
            public void onCompleted() {
                synchronized (outbound) {
                    outbound.onCompleted();
                }
            }
        };
    }
}
