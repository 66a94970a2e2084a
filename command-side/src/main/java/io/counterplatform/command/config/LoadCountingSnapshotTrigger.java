package io.counterplatform.command.config;

import io.micrometer.core.instrument.DistributionSummary;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.SnapshotTrigger;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;

/**
 * Axon's snapshot trigger, also counting how many events each load of a counter from the store replayed: the
 * number that snapshots and the cache exist to keep small (a cache hit replays none and records nothing).
 */
record LoadCountingSnapshotTrigger(SnapshotTriggerDefinition delegate, DistributionSummary eventsLoaded)
        implements SnapshotTriggerDefinition {

    @Override
    public SnapshotTrigger prepareTrigger(Class<?> aggregateType) {
        return new Counting(delegate.prepareTrigger(aggregateType));
    }

    @Override
    public SnapshotTrigger reconfigure(Class<?> aggregateType, SnapshotTrigger trigger) {
        if (trigger instanceof Counting counting) {
            counting.delegate = delegate.reconfigure(aggregateType, counting.delegate);
            return counting;
        }
        return delegate.reconfigure(aggregateType, trigger);
    }

    private final class Counting implements SnapshotTrigger {

        private SnapshotTrigger delegate;
        private long loaded;
        private boolean initialized;

        private Counting(SnapshotTrigger delegate) {
            this.delegate = delegate;
        }

        @Override
        public void eventHandled(EventMessage<?> message) {
            if (!initialized) {
                loaded++;
            }
            delegate.eventHandled(message);
        }

        @Override
        public void initializationFinished() {
            if (!initialized) {
                initialized = true;
                eventsLoaded.record(loaded);
            }
            delegate.initializationFinished();
        }
    }
}
