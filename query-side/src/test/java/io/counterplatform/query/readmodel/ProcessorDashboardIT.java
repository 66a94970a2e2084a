package io.counterplatform.query.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.axoniq.axonserver.grpc.control.EventProcessorInfo;
import io.counterplatform.standin.AxonServerStandIn;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.EventProcessingModule;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A version's processor, built at run time, is on Axon Server's dashboard as the connector puts those of start-up
 * there: the server hears its status through the connector's own control channel and serializers, its pause
 * button stops it, its split button does not split it, and once hidden it is reported stopped and out of reach.
 */
class ProcessorDashboardIT {

    private static final String NAME = "counter-summary-2";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final AxonServerStandIn axonServer = AxonServerStandIn.start(0);
    private final AxonServerConfiguration configuration = AxonServerConfiguration.builder()
            .servers(axonServer.address())
            .componentName("query-side")
            .build();
    private final AxonServerConnectionManager connections = AxonServerConnectionManager.builder()
            .axonServerConfiguration(configuration)
            .build();
    private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(2);
    private final EmbeddedEventStore events = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine())
            .build();
    private final PooledStreamingEventProcessor processor = PooledStreamingEventProcessor.builder()
            .name(NAME)
            .eventHandlerInvoker(SimpleEventHandlerInvoker.builder()
                    .eventHandlers(new Object())
                    .build())
            .messageSource(events)
            .tokenStore(new InMemoryTokenStore())
            .transactionManager(NoTransactionManager.instance())
            .coordinatorExecutor(threads)
            .workerExecutor(threads)
            .initialSegmentCount(2)
            .build();
    private Runnable hide;

    @BeforeEach
    void show() {
        connections.start();
        hide = new ReadModelConfiguration()
                .axonServerDashboard(connections, new EventProcessingModule(), configuration)
                .show(processor);
        processor.start();
        await().atMost(PATIENCE).untilAsserted(() -> {
            EventProcessorInfo shown = axonServer.processors().get(NAME);
            assertThat(shown).isNotNull();
            assertThat(shown.getRunning()).isTrue();
            assertThat(shown.getIsStreamingProcessor()).isTrue();
            assertThat(shown.getSegmentStatusList()).hasSize(2);
        });
    }

    @AfterEach
    void close() {
        processor.shutDown();
        events.shutDown();
        connections.shutdown();
        axonServer.close();
        threads.shutdownNow();
    }

    @Test
    void theDashboardsPauseButtonStopsIt() {
        String pause = axonServer.pauseProcessor(NAME);

        await().atMost(PATIENCE).until(() -> axonServer.answer(pause).isPresent());
        assertThat(axonServer.answer(pause)).contains(true);
        assertThat(processor.isRunning()).isFalse();
        await().atMost(PATIENCE).until(() -> !axonServer.processors().get(NAME).getRunning());
    }

    @Test
    void itsSegmentsAreNotSplitFromTheDashboard() {
        String split = axonServer.splitSegment(NAME, 0);

        await().atMost(PATIENCE).until(() -> axonServer.answer(split).isPresent());
        assertThat(axonServer.answer(split)).contains(false);
        assertThat(processor.processingStatus()).hasSize(2);
    }

    @Test
    void onceHiddenItIsReportedStoppedAndTheDashboardNoLongerReachesIt() {
        hide.run();

        await().atMost(PATIENCE).untilAsserted(() -> {
            EventProcessorInfo last = axonServer.processors().get(NAME);
            assertThat(last.getRunning()).isFalse();
            assertThat(last.getSegmentStatusList()).isEmpty();
        });
        String pause = axonServer.pauseProcessor(NAME);
        await().atMost(PATIENCE).until(() -> axonServer.answer(pause).isPresent());
        assertThat(axonServer.answer(pause)).contains(false);
        assertThat(processor.isRunning()).isTrue();
    }
}
