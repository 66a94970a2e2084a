package io.counterplatform.query.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.greaterThan;

import io.counterplatform.query.EventStoreWriter;
import io.counterplatform.query.IntegrationTest;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/** A processor's stream is told when events arrive, instead of looking for them on a timer. */
@IntegrationTest
@Import(EventStoreWriter.class)
class WakingEventSourceIT {

    @Autowired
    private WakingEventSource source;

    @Autowired
    private EventStoreWriter events;

    @Test
    void anOpenStreamIsCalledBackWhenAnEventIsAppended() throws InterruptedException {
        AtomicInteger wakeUps = new AtomicInteger();
        try (BlockingStream<TrackedEventMessage<?>> stream = source.openStream(source.createHeadToken())) {
            assertThat(stream.setOnAvailableCallback(wakeUps::incrementAndGet)).isTrue();

            events.increment("wake-" + UUID.randomUUID(), 1);

            await().untilAtomic(wakeUps, greaterThan(0));
            assertThat(stream.hasNextAvailable()).isTrue();
        }
    }

    @Test
    void aClosedStreamIsNoLongerCalledBack() {
        AtomicInteger wakeUps = new AtomicInteger();
        BlockingStream<TrackedEventMessage<?>> closed = source.openStream(source.createHeadToken());
        closed.setOnAvailableCallback(wakeUps::incrementAndGet);
        closed.close();
        AtomicInteger control = new AtomicInteger();
        try (BlockingStream<TrackedEventMessage<?>> open = source.openStream(source.createHeadToken())) {
            open.setOnAvailableCallback(control::incrementAndGet);

            events.increment("wake-" + UUID.randomUUID(), 1);

            await().untilAtomic(control, greaterThan(0));
            assertThat(wakeUps).hasValue(0);
        }
    }
}
