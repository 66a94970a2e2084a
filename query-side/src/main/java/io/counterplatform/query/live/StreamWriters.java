package io.counterplatform.query.live;

import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The threads that write live streams to their clients: Spring MVC's pool for asynchronous answers, which only the
 * streams use. MVC writes each message with a blocking write, and a client that stops reading holds its thread until
 * the socket times out; with a fixed pool of eight, eight such clients would stall every stream of the instance.
 * Here a stream takes a thread of its own while it writes, up to the instance's stream limit, so a client that stops
 * reading stalls only its own stream.
 */
@Configuration(proxyBeanMethods = false)
class StreamWriters {

    @Bean(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME)
    ThreadPoolTaskExecutor liveStreamWriters(ThreadPoolTaskExecutorBuilder executors, LiveSettings settings) {
        return executors
                .threadNamePrefix("live-writer-")
                .corePoolSize(0)
                .maxPoolSize(settings.maxStreams())
                .queueCapacity(0)
                .build();
    }
}
