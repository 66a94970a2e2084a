package io.counterplatform.query.readmodel;

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
}
