package io.counterplatform.command.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The dashboard, served by the query side, sends increments here from the browser. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CommandSettings.class) // web test slices load this class alone
class DashboardCors implements WebMvcConfigurer {

    private final String[] allowedOrigins;

    DashboardCors(CommandSettings settings) {
        this.allowedOrigins = settings.cors().allowedOrigins().toArray(String[]::new);
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
