package io.counterplatform.query.readmodel;

import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

@Configuration(proxyBeanMethods = false)
class ReadModelConfiguration {

    static final String VERSIONS = "readModelVersions";

    /** The thread that keeps this instance's versions in step with the {@code read_model} table. */
    @Bean(VERSIONS)
    ThreadPoolTaskScheduler readModelVersions(ThreadPoolTaskSchedulerBuilder schedulers) {
        return schedulers.threadNamePrefix("read-model-versions-").poolSize(1).build();
    }

    /** Without Axon Server there is no dashboard: the admin API and the metrics show every version. */
    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    ProcessorDashboard noDashboard() {
        return processor -> () -> {};
    }

    /** Axon Server's dashboard; the bean is not the control service itself, which Axon would then start. */
    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "true", matchIfMissing = true)
    ProcessorDashboard axonServerDashboard(
            AxonServerConnectionManager connections,
            EventProcessingConfiguration processing,
            AxonServerConfiguration server) {
        return new AxonServerDashboard(connections, processing, server)::show;
    }
}
