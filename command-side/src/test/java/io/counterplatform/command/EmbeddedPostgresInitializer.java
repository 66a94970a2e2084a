package io.counterplatform.command;

import io.counterplatform.local.LocalPostgres;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** Points each test application context at a fresh database on the embedded PostgreSQL. */
public class EmbeddedPostgresInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of(
                        "spring.datasource.url=" + LocalPostgres.shared().newDatabase("command_side"),
                        "spring.datasource.username=" + LocalPostgres.USER,
                        "spring.datasource.password=" + LocalPostgres.PASSWORD)
                .applyTo(context);
    }
}
