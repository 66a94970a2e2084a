package io.counterplatform.command.config;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A command whose append lost a race is retried, and only such a command ({@link LostAppendRace}). With several
 * instances on the JDBC store a cached aggregate can be stale; the append then fails on the unique sequence
 * number, the failed unit of work evicts the cache entry, and the retry loads the counter afresh. Nothing was
 * stored by the failed try.
 */
@Configuration(proxyBeanMethods = false)
class CommandGatewayConfiguration {

    @Bean(destroyMethod = "shutdown")
    ScheduledExecutorService commandRetryExecutor() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "command-retry");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    CommandGateway commandGateway(
            CommandBus commandBus,
            ScheduledExecutorService commandRetryExecutor,
            @Value("${counter.command-retries}") int retries) {
        IntervalRetryScheduler retryScheduler = IntervalRetryScheduler.builder()
                .retryExecutor(commandRetryExecutor)
                .retryInterval(20)
                .maxRetryCount(retries)
                .nonTransientFailurePredicate(new LostAppendRace().negate())
                .build();
        return DefaultCommandGateway.builder()
                .commandBus(commandBus)
                .retryScheduler(retryScheduler)
                .build();
    }
}
