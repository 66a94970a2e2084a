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

    static final String JOBS = "replayJobs";
    static final String WATCH = "replayWatch";

    /** A rebuild cut off at shutdown resumes from its checkpoint, here or on another instance. */
    @Bean(JOBS)
    ThreadPoolTaskExecutor replayJobs(ThreadPoolTaskExecutorBuilder executors, List<ReplayableProjection> projections) {
        int one = Math.max(1, projections.size());
        return executors
                .threadNamePrefix("projection-replay-")
                .corePoolSize(one)
                .maxPoolSize(one)
                .build();
    }

    @Bean(WATCH)
    ThreadPoolTaskScheduler replayWatch(ThreadPoolTaskSchedulerBuilder schedulers) {
        return schedulers
                .threadNamePrefix("projection-replay-watch-")
                .poolSize(1)
                .build();
    }
}
