package io.counterplatform.query.health;

import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** The event store answers: its head, the newest position the projections can reach. */
@Component("eventStoreHealthIndicator") // health name: eventStore
class EventStoreHealth implements HealthIndicator {

    private final EventStore eventStore;

    EventStoreHealth(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    @Override
    public Health health() {
        TrackingToken head = eventStore.createHeadToken();
        return Health.up()
                .withDetail("head", head == null ? -1 : head.position().orElse(-1))
                .build();
    }
}
