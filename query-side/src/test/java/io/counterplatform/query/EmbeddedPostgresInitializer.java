package io.counterplatform.query;

import io.counterplatform.local.LocalPostgres;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points each test application context at a fresh database on the embedded PostgreSQL, with the event tables
 * that the command side would otherwise have created.
 */
public class EmbeddedPostgresInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of(
                        "spring.datasource.url=" + LocalPostgres.shared().newDatabase("query_side"),
                        "spring.datasource.username=" + LocalPostgres.USER,
                        "spring.datasource.password=" + LocalPostgres.PASSWORD,
                        "spring.flyway.locations=classpath:db/migration,classpath:db/command-side",
                        // test clients may leave half-read streams behind; the JVM must not wait for them
                        "server.shutdown=immediate")
                .applyTo(context);
    }
}
