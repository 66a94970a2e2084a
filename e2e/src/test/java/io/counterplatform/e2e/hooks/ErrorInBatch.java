package io.counterplatform.e2e.hooks;

import io.counterplatform.api.counter.IncrementCounter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A fault for the fault suite, never part of the service: the suite adds this folder to a command side's classpath
 * (Spring Boot's {@code loader.path}), and the first increment with a key that starts with {@code error-in-batch-}
 * then throws an {@link Error} as its batch prepares to commit, where Axon's own rollback does not look.
 */
@AutoConfiguration
public class ErrorInBatch {

    public static final String KEY_PREFIX = "error-in-batch-";

    @Bean
    MessageHandlerInterceptor<CommandMessage<?>> errorInBatch() {
        Set<String> thrown = ConcurrentHashMap.newKeySet();
        return (unitOfWork, chain) -> {
            if (unitOfWork.getMessage().getPayload() instanceof IncrementCounter command
                    && command.idempotencyKey() != null
                    && command.idempotencyKey().startsWith(KEY_PREFIX)
                    && thrown.add(command.idempotencyKey())) {
                unitOfWork.root().onPrepareCommit(batch -> {
                    throw new AssertionError("injected by the fault suite: an Error as the batch commits");
                });
            }
            return chain.proceed();
        };
    }
}
