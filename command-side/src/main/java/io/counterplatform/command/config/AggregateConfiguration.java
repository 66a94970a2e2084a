package io.counterplatform.command.config;

import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Snapshots and caching for the Counter aggregate, named by its {@code @Aggregate} annotation. */
@Configuration(proxyBeanMethods = false)
class AggregateConfiguration {

    @Bean
    SnapshotTriggerDefinition counterSnapshotTrigger(
            Snapshotter snapshotter, @Value("${counter.snapshot-threshold}") int threshold) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, threshold);
    }

    /** Hot counters stay in memory; the garbage collector decides how many. */
    @Bean
    Cache counterCache() {
        return new WeakReferenceCache();
    }
}
