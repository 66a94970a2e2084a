package io.counterplatform.query.live;

import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The threads that write live streams to their clients: Spring MVC's pool for asynchronous answers, which only the
 * streams use. A stream is written by one thread from its first message to its last ({@link ServerSentEvents}), with
 * blocking writes, so a client that stops reading stalls only its own stream, and a stream gives its place back only
 * when its thread is done: the pool has a thread for every stream admitted. One admitted in the moment between a
 * finished stream's release and its thread's return waits in the queue, never rejected.
 */
@Configuration(proxyBeanMethods = false)
class StreamWriters {

    @Bean(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME)
    ThreadPoolTaskExecutor liveStreamWriters(ThreadPoolTaskExecutorBuilder executors, LiveSettings settings) {
        return executors
                .threadNamePrefix("live-writer-")
                // a thread per stream that starts, up to the limit, and none kept once idle
                .corePoolSize(settings.maxStreams())
                .maxPoolSize(settings.maxStreams())
                .allowCoreThreadTimeOut(true)
                .queueCapacity(settings.maxStreams())
                .build();
    }
}
