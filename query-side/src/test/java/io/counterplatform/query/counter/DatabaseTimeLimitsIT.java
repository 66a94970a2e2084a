package io.counterplatform.query.counter;

import static org.assertj.core.api.Assertions.assertThat;

import io.counterplatform.query.EventStoreWriter;
import io.counterplatform.query.IntegrationTest;
import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.Http.Response;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

/** A read the database accepts and never answers is a {@code 503} within the service's statement limit. */
@IntegrationTest
@Import(EventStoreWriter.class)
@DirtiesContext // the read model's processors fail their batches while it is locked: no other test sees them
class DatabaseTimeLimitsIT {

    @LocalServerPort
    private int port;

    @Autowired
    private EventStoreWriter events;

    @Autowired
    private DataSource dataSource;

    @Test
    void aReadTheDatabaseNeverAnswersIsA503() throws Exception {
        Http http = Http.querySide("http://localhost:" + port);
        String counterId = "t-" + UUID.randomUUID();
        events.increment(counterId, 1);
        assertThat(http.get("/api/counters/" + counterId + "?minVersion=1").status())
                .isEqualTo(200);

        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                // a transaction that holds the read model and never ends: readers queue behind it
                statement.execute("LOCK TABLE counter_summary IN ACCESS EXCLUSIVE MODE");

                Response response = http.get("/api/counters/" + counterId);

                assertThat(response.status()).isEqualTo(503);
                assertThat(response.header("Retry-After")).isPresent();
            } finally {
                connection.rollback();
            }
        }
        assertThat(http.get("/api/counters/" + counterId).status()).isEqualTo(200);
    }
}
