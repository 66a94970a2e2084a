package io.counterplatform.testsupport;

import io.counterplatform.launcher.LocalPostgres;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** Points each test application context at a fresh database, named after the service, on the embedded PostgreSQL. */
public class FreshDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String service = context.getEnvironment().getProperty("spring.application.name", "service");
        TestPropertyValues.of(
                        "spring.datasource.url=" + LocalPostgres.shared().newDatabase(service.replace('-', '_')),
                        "spring.datasource.username=" + LocalPostgres.USER,
                        "spring.datasource.password=" + LocalPostgres.PASSWORD,
                        // test clients may leave half-read streams behind; the JVM must not wait for them
                        "server.shutdown=immediate")
                .applyTo(context);
    }
}
