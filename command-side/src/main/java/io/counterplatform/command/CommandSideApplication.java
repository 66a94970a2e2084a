package io.counterplatform.command;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Accepts increments over REST and turns them into events of the {@code Counter} aggregate. */
// keys, not users: no generated password
// no error page: what fails outside Spring MVC is answered as a problem by the container (service-support)
@SpringBootApplication(exclude = {UserDetailsServiceAutoConfiguration.class, ErrorMvcAutoConfiguration.class})
@ConfigurationPropertiesScan
@EnableScheduling
public class CommandSideApplication {

    public static void main(String[] args) {
        // No calls home and no console banner unless asked for: the platform runs on closed networks too.
        System.getProperties().putIfAbsent("axoniq.update-checker.disabled", "true");
        System.getProperties().putIfAbsent("disable-axoniq-console-message", "true");
        SpringApplication.run(CommandSideApplication.class, args);
    }
}
