package io.counterplatform.query.webhook;

import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The webhook processor starts at the head of the stream the first time it runs: subscriptions only ever want
 * events that come after them, so there is no history to read.
 */
@Configuration(proxyBeanMethods = false)
class WebhookProcessingConfiguration {

    @Autowired
    void startAtTheHead(EventProcessingConfigurer processing) {
        processing.registerPooledStreamingEventProcessorConfiguration(
                WebhookOutbox.NAME,
                (configuration, builder) -> builder.initialToken(StreamableMessageSource::createHeadToken));
    }

    /** The system's name resolution; tests put a name server of their own here. */
    @Bean
    @ConditionalOnMissingBean
    CallbackResolver callbackResolver() {
        return CallbackResolver.system();
    }
}
