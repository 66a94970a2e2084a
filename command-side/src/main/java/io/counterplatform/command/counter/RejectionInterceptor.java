package io.counterplatform.command.counter;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

/**
 * Turns a refusal into a {@link CommandExecutionException} whose details carry the {@code IncrementRejection}:
 * exception types do not survive a hop through Axon Server, details do.
 */
@Component
class RejectionInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        try {
            return chain.proceed();
        } catch (IncrementRefused refused) {
            throw new CommandExecutionException(refused.getMessage(), null, refused.rejection());
        }
    }
}
