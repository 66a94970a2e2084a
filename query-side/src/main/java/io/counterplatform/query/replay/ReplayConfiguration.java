package io.counterplatform.query.replay;

import java.util.List;
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
    ThreadPoolTaskExecutor rebuildJobs(List<RebuildableProjection> projections) {
        ThreadPoolTaskExecutor jobs = new ThreadPoolTaskExecutor();
        jobs.setThreadNamePrefix("projection-rebuild-");
        jobs.setCorePoolSize(Math.max(1, projections.size()));
        jobs.setMaxPoolSize(Math.max(1, projections.size()));
        return jobs;
    }

    @Bean(WATCH)
    ThreadPoolTaskScheduler rebuildWatch() {
        ThreadPoolTaskScheduler watch = new ThreadPoolTaskScheduler();
        watch.setThreadNamePrefix("projection-rebuild-watch-");
        return watch;
    }
}
