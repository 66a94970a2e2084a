package io.counterplatform.query.replay;

import java.util.List;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/** The threads rebuilds run on: one per rebuildable projection, and one that looks for abandoned rebuilds. */
@Configuration(proxyBeanMethods = false)
class ReplayConfiguration {

    static final String JOBS = "rebuildJobs";
    static final String WATCH = "rebuildWatch";

    /** A rebuild cut off at shutdown resumes from its checkpoint, here or on another instance. */
    @Bean(JOBS)
    ThreadPoolTaskExecutor rebuildJobs(
            ThreadPoolTaskExecutorBuilder executors, List<RebuildableProjection> projections) {
        int one = Math.max(1, projections.size());
        return executors
                .threadNamePrefix("projection-rebuild-")
                .corePoolSize(one)
                .maxPoolSize(one)
                .build();
    }

    @Bean(WATCH)
    ThreadPoolTaskScheduler rebuildWatch(ThreadPoolTaskSchedulerBuilder schedulers) {
        return schedulers
                .threadNamePrefix("projection-rebuild-watch-")
                .poolSize(1)
                .build();
    }
}
