package io.counterplatform.query.readmodel;

import io.axoniq.axonserver.connector.Registration;
import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.axonframework.axonserver.connector.processor.EventProcessorControlService;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;

/**
 * Axon Server's dashboard, through the connector's own control service: each version's processor gets the status
 * reports and the handler of the dashboard's instructions that the connector gives the processors of start-up.
 * Never started itself: those the connector already shows.
 */
final class AxonServerDashboard extends EventProcessorControlService {

    AxonServerDashboard(
            AxonServerConnectionManager connections,
            EventProcessingConfiguration processing,
            AxonServerConfiguration server) {
        super(connections, processing, server);
    }

    /** Shows the processor until the answer is run. */
    Runnable show(StreamingEventProcessor processor) {
        Registration shown = axonServerConnectionManager
                .getConnection(context)
                .controlChannel()
                .registerEventProcessor(
                        processor.getName(),
                        infoSupplier(processor),
                        new AxonProcessorInstructionHandler(processor, processor.getName()));
        return shown::cancel;
    }
}
