package io.counterplatform.command.config;

import io.counterplatform.support.security.ApiKeySecurity;
import io.counterplatform.support.security.ApiKeys;
import io.counterplatform.support.security.SecurityProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Increments are open (the classic {@code /increment} contract) unless {@code counter.security.writes-require-key}
 * asks for a client key; the actuator beyond health needs the admin key.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class WebSecurity {

    @Bean
    SecurityFilterChain security(HttpSecurity http, ApiKeys keys, SecurityProperties properties) throws Exception {
        ApiKeySecurity.apiKeys(http, keys).authorizeHttpRequests(paths -> {
            paths.requestMatchers("/actuator/health", "/actuator/health/**")
                    .permitAll()
                    .requestMatchers("/actuator/**")
                    .hasRole("ADMIN")
                    .requestMatchers(HttpMethod.OPTIONS, "/**")
                    .permitAll();
            if (properties.writesRequireKey()) {
                paths.requestMatchers(HttpMethod.POST, "/api/counters/*/increments", "/increment")
                        .authenticated();
            }
            paths.anyRequest().permitAll();
        });
        return http.build();
    }
}
