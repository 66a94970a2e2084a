package io.counterplatform.command.config;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;
import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * A command whose append lost a race is retried, and only such a command ({@link LostAppendRace}). With several
 * instances on the JDBC store a cached aggregate can be stale; the append then fails on the unique sequence
 * number, the failed unit of work evicts the cache entry, and the retry loads the counter afresh. Nothing was
 * stored by the failed try.
 */
@Configuration(proxyBeanMethods = false)
class CommandGatewayConfiguration {

    @Bean
    ThreadPoolTaskScheduler commandRetries(ThreadPoolTaskSchedulerBuilder schedulers) {
        ThreadPoolTaskScheduler retries =
                schedulers.threadNamePrefix("command-retry-").poolSize(1).build();
        // requests still in flight while the web server drains them keep their retries
        retries.setAcceptTasksAfterContextClose(true);
        return retries;
    }

    @Bean
    CommandGateway commandGateway(
            CommandBus commandBus, ThreadPoolTaskScheduler commandRetries, CommandSettings settings) {
        IntervalRetryScheduler retryScheduler = IntervalRetryScheduler.builder()
                .retryExecutor(commandRetries.getScheduledExecutor())
                .retryInterval(20)
                .maxRetryCount(settings.commandRetries())
                .nonTransientFailurePredicate(new LostAppendRace().negate())
                .build();
        return DefaultCommandGateway.builder()
                .commandBus(commandBus)
                .retryScheduler(retryScheduler)
                .build();
    }
}
