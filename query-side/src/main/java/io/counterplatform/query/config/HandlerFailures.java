package io.counterplatform.query.config;

import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;

/**
 * A failing event handler must never be skipped (Axon's default only logs): the failure rolls the batch and
 * its token back, and the processor retries it.
 */
@Configuration(proxyBeanMethods = false)
class HandlerFailures {

    @Autowired
    void propagateHandlerFailures(EventProcessingConfigurer processing) {
        processing.registerDefaultListenerInvocationErrorHandler(configuration -> PropagatingErrorHandler.instance());
    }
}
