package io.counterplatform.command.config;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The dashboard, served by the query side, sends increments here from the browser. */
@Configuration(proxyBeanMethods = false)
class CorsConfiguration implements WebMvcConfigurer {

    private final String[] allowedOrigins;

    CorsConfiguration(@Value("${counter.cors.allowed-origins}") String[] allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        for (String path : new String[] {"/api/**", "/increment"}) {
            registry.addMapping(path)
                    .allowedOrigins(allowedOrigins)
                    .allowedMethods("POST")
                    .allowedHeaders("Content-Type", "Idempotency-Key", "If-Match")
                    .exposedHeaders("ETag", "Idempotent-Replayed");
        }
    }
}
