package io.counterplatform.query.config;

import io.counterplatform.support.security.ApiKeySecurity;
import io.counterplatform.support.security.ApiKeys;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Reads, live streams and the dashboard are open; subscriptions need a client key or the admin key (and each
 * client sees only its own); the admin API and the actuator beyond health need the admin key.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class WebSecurity {

    @Bean
    SecurityFilterChain security(HttpSecurity http, ApiKeys keys) throws Exception {
        ApiKeySecurity.apiKeys(http, keys)
                .authorizeHttpRequests(paths -> paths.requestMatchers("/actuator/health", "/actuator/health/**")
                        .permitAll()
                        .requestMatchers("/actuator/**", "/api/admin/**")
                        .hasRole("ADMIN")
                        .requestMatchers("/api/subscriptions", "/api/subscriptions/**")
                        .authenticated()
                        .anyRequest()
                        .permitAll());
        return http.build();
    }
}
