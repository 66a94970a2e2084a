package io.counterplatform.standin;

import io.axoniq.axonserver.grpc.control.EventProcessorInfo;
import io.axoniq.axonserver.grpc.control.EventProcessorReference;
import io.axoniq.axonserver.grpc.control.EventProcessorSegmentReference;
import io.axoniq.axonserver.grpc.control.PlatformOutboundInstruction;
import io.axoniq.axonserver.grpc.event.Event;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory stand-in for Axon Server on a local port: its platform (with the processors' dashboard), command and
 * event-store services, answering as the server does on the wire (see each service), so that the Axon Server
 * connector, with its own serializers, can be driven without a server. For tests and the benchmark only; it keeps
 * everything in memory and forgets it on close.
 */
public final class AxonServerStandIn implements AutoCloseable {

    private final Server server;
    private final EventStoreStandIn eventStore = new EventStoreStandIn();
    private final PlatformStandIn platform;

    private AxonServerStandIn(int port) {
        platform = new PlatformStandIn(port);
        try {
            // the connector pings every second, also between calls; the server must allow that, as Axon Server does
            server = NettyServerBuilder.forAddress(new InetSocketAddress("localhost", port))
                    .permitKeepAliveWithoutCalls(true)
                    .permitKeepAliveTime(1, TimeUnit.SECONDS)
                    .addService(platform)
                    .addService(new CommandStandIn())
                    .addService(eventStore)
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Axon Server stand-in on port " + port, e);
        }
    }

    /** Starts a stand-in on {@code port} of loopback. */
    public static AxonServerStandIn start(int port) {
        return new AxonServerStandIn(port);
    }

    /** {@code host:port}, as {@code axon.axonserver.servers} takes it. */
    public String address() {
        return "localhost:" + server.getPort();
    }

    /** The latest status of each event processor, by name, as the clients report it for the dashboard. */
    public Map<String, EventProcessorInfo> processors() {
        return platform.processors();
    }

    /** Pauses an event processor on every client, as the dashboard's button does; returns the instruction's id. */
    public String pauseProcessor(String processor) {
        return platform.instruct(PlatformOutboundInstruction.newBuilder()
                .setPauseEventProcessor(EventProcessorReference.newBuilder().setProcessorName(processor)));
    }

    /** Splits a segment of an event processor, as the dashboard's button does; returns the instruction's id. */
    public String splitSegment(String processor, int segment) {
        return platform.instruct(PlatformOutboundInstruction.newBuilder()
                .setSplitEventProcessorSegment(EventProcessorSegmentReference.newBuilder()
                        .setProcessorName(processor)
                        .setSegmentIdentifier(segment)));
    }

    /** Whether a client carried the instruction out, once one has answered it. */
    public Optional<Boolean> answer(String instructionId) {
        return platform.answer(instructionId);
    }

    /** The events stored for an aggregate, in sequence order. */
    public List<Event> events(String aggregateId) {
        return eventStore.events(aggregateId);
    }

    /** Stores events as if another client had appended them (checked like any append). */
    public void append(List<Event> events) {
        eventStore.append(events);
    }

    /** The next append is refused, as by a server out of reach: nothing of it is stored. */
    public void refuseNextAppend() {
        eventStore.failNextAppend(EventStoreStandIn.AppendFault.REFUSE);
    }

    /** The next append is stored, but its confirmation never reaches the client: it is answered with an error. */
    public void loseNextConfirmation() {
        eventStore.failNextAppend(EventStoreStandIn.AppendFault.LOSE_CONFIRMATION);
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
