package io.counterplatform.query.readmodel;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.TokenStoreProperties;
import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

@Configuration(proxyBeanMethods = false)
class ReadModelConfiguration {

    static final String VERSIONS = "readModelVersions";

    /** The token store Axon's auto-configuration would build (its default schema), able to show every instance's segments. */
    @Bean
    SharedTokenStore tokenStore(ConnectionProvider connections, Serializer serializer, TokenStoreProperties settings) {
        return new SharedTokenStore(JdbcTokenStore.builder()
                .connectionProvider(connections)
                .serializer(serializer)
                .claimTimeout(settings.getClaimTimeout()));
    }

    /** The thread that keeps this instance's versions in step with the {@code read_model} table. */
    @Bean(VERSIONS)
    ThreadPoolTaskScheduler readModelVersions(ThreadPoolTaskSchedulerBuilder schedulers) {
        return schedulers.threadNamePrefix("read-model-versions-").poolSize(1).build();
    }
}
