package io.counterplatform.query.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The webhook processor, the threads deliveries run on (each pool sized by {@code counter.webhooks}), and name
 * resolution. The processor starts at the head of the stream the first time it runs: subscriptions only ever
 * want events that come after them, so there is no history to read.
 */
@Configuration(proxyBeanMethods = false)
class WebhookProcessingConfiguration {

    static final String DISPATCH = "webhookDispatch";
    static final String WORKERS = "webhookWorkers";
    static final String LOOKUPS = "callbackLookups";
    /** Lookups in flight at once: a name server that hangs ties up these threads, and nothing else. */
    private static final int CONCURRENT_LOOKUPS = 8;

    @Autowired
    void startAtTheHead(EventProcessingConfigurer processing) {
        processing.registerPooledStreamingEventProcessorConfiguration(
                WebhookOutbox.NAME,
                (configuration, builder) -> builder.initialToken(StreamableMessageSource::createHeadToken));
    }

    /** One thread claims due deliveries, so the free workers it counts are never counted twice. */
    @Bean(DISPATCH)
    ThreadPoolTaskScheduler webhookDispatch() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setThreadNamePrefix("webhook-dispatch-");
        scheduler.setPoolSize(1);
        return scheduler;
    }

    /** In-flight deliveries are cut off at shutdown: unacknowledged, they are delivered again when their claim ends. */
    @Bean(WORKERS)
    ThreadPoolTaskExecutor webhookWorkers(WebhookSettings settings) {
        ThreadPoolTaskExecutor workers = new ThreadPoolTaskExecutor();
        workers.setThreadNamePrefix("webhook-worker-");
        workers.setCorePoolSize(settings.workers());
        workers.setMaxPoolSize(settings.workers());
        return workers;
    }

    /** No queue: a lookup that finds every thread busy is refused at once rather than waiting behind slow ones. */
    @Bean(LOOKUPS)
    ThreadPoolTaskExecutor callbackLookups() {
        ThreadPoolTaskExecutor lookups = new ThreadPoolTaskExecutor();
        lookups.setThreadNamePrefix("callback-lookup-");
        lookups.setCorePoolSize(CONCURRENT_LOOKUPS);
        lookups.setMaxPoolSize(CONCURRENT_LOOKUPS);
        lookups.setQueueCapacity(0);
        lookups.setAllowCoreThreadTimeOut(true);
        return lookups;
    }

    @Bean
    CallbackTargetPolicy callbackTargetPolicy(
            WebhookSettings settings, CallbackResolver resolver, @Qualifier(LOOKUPS) AsyncTaskExecutor lookups) {
        return new CallbackTargetPolicy(settings.allowPrivateTargets(), settings.resolveTimeout(), resolver, lookups);
    }

    @Bean
    WebhookSender webhookSender(ObjectMapper json, CallbackTargetPolicy targets, WebhookSettings settings) {
        return new WebhookSender(json, targets, settings.timeout());
    }

    /** The system's name resolution; tests put a name server of their own here. */
    @Bean
    @ConditionalOnMissingBean
    CallbackResolver callbackResolver() {
        return CallbackResolver.system();
    }
}
