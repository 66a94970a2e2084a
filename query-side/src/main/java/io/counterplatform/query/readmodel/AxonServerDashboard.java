package io.counterplatform.query.readmodel;

import io.axoniq.axonserver.connector.Registration;
import io.axoniq.axonserver.connector.control.ControlChannel;
import io.axoniq.axonserver.grpc.control.EventProcessorInfo;
import io.axoniq.axonserver.grpc.control.PlatformInboundInstruction;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.axonframework.axonserver.connector.processor.EventProcessorControlService;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Axon Server's dashboard, through the connector's own control service: each version's processor gets the status
 * reports and the handler of the dashboard's instructions that the connector gives the processors of start-up.
 * Never started itself: those the connector already shows.
 */
final class AxonServerDashboard extends EventProcessorControlService {

    private static final Logger log = LoggerFactory.getLogger(AxonServerDashboard.class);

    AxonServerDashboard(
            AxonServerConnectionManager connections,
            EventProcessingConfiguration processing,
            AxonServerConfiguration server) {
        super(connections, processing, server);
    }

    /** Shows the processor until the answer is run, which reports it stopped and takes the dashboard's buttons away. */
    Runnable show(StreamingEventProcessor processor) {
        ControlChannel channel =
                axonServerConnectionManager.getConnection(context).controlChannel();
        Supplier<EventProcessorInfo> info = infoSupplier(processor);
        AtomicBoolean hidden = new AtomicBoolean();
        // a report the connector is making as it is hidden says nothing, rather than "running" after "stopped"
        Registration shown = channel.registerEventProcessor(
                processor.getName(), () -> hidden.get() ? null : reported(info), new Buttons(processor));
        return () -> {
            hidden.set(true);
            shown.cancel();
            EventProcessorInfo last = reported(info);
            if (last != null) {
                channel.sendInstruction(PlatformInboundInstruction.newBuilder()
                        .setEventProcessorInfo(
                                last.toBuilder().setRunning(false).clearSegmentStatus())
                        .build());
            }
        };
    }

    /** Null when it cannot be told: the connector skips it, where an exception would end its every report. */
    private static EventProcessorInfo reported(Supplier<EventProcessorInfo> info) {
        try {
            return info.get();
        } catch (RuntimeException unavailable) {
            return null;
        }
    }

    /**
     * Pause, start and release; not split and merge: a version's segments come from the configuration, and the
     * switch of versions compares them segment by segment.
     */
    private static final class Buttons extends AxonProcessorInstructionHandler {

        private final String name;

        private Buttons(StreamingEventProcessor processor) {
            super(processor, processor.getName());
            this.name = processor.getName();
        }

        @Override
        public CompletableFuture<Boolean> splitSegment(int segment) {
            return refused("split");
        }

        @Override
        public CompletableFuture<Boolean> mergeSegment(int segment) {
            return refused("merge");
        }

        private CompletableFuture<Boolean> refused(String what) {
            log.info(
                    "Refused to {} a segment of {}: a read model's segments are set by"
                            + " axon.eventhandling.processors.<model>.initial-segment-count, for its next version",
                    what,
                    name);
            return CompletableFuture.completedFuture(false);
        }
    }
}
