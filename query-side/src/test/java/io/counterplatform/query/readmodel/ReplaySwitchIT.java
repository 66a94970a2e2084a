package io.counterplatform.query.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.counterplatform.query.EventStoreWriter;
import io.counterplatform.query.IntegrationTest;
import io.counterplatform.testsupport.Http;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The switch from one version to the next: it never stalls the readers of the read model, waits for a reader that
 * holds the model open, keeps what was granted on the model, and leaves one table behind.
 */
@IntegrationTest
@Import(EventStoreWriter.class)
@TestPropertySource(properties = "counter.admin.api-key=test-key")
class ReplaySwitchIT {

    private static final String[] KEY = {"X-Api-Key", "test-key"};

    @LocalServerPort
    private int port;

    @Autowired
    private EventStoreWriter events;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private DataSource dataSource;

    private Http http;
    private String counter;

    @BeforeEach
    void setUp() {
        http = Http.querySide("http://localhost:" + port);
        counter = "switch-" + UUID.randomUUID();
        events.increment(counter, 3);
        await().until(() -> http.get("/api/counters/" + counter).status() == 200);
    }

    @Test
    void aRebuiltModelKeepsItsGrantsAndLeavesOneTableBehind() {
        jdbc.execute("DO $$ BEGIN CREATE ROLE dashboard_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        jdbc.execute("GRANT SELECT ON counter_summary TO dashboard_reader");

        rebuild();
        rebuild();

        assertThat(jdbc.queryForObject(
                        "SELECT has_table_privilege('dashboard_reader', 'counter_summary', 'SELECT')", Boolean.class))
                .isTrue();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(jdbc.queryForList(
                                "SELECT tablename FROM pg_tables WHERE tablename LIKE 'counter\\_summary\\_%'",
                                String.class))
                        .containsExactly(jdbc.queryForObject(
                                "SELECT 'counter_summary_' || live FROM read_model WHERE name = 'counter-summary'",
                                String.class)));
    }

    @Test
    void aReaderHoldingTheModelStallsNoOtherReadAndTheSwitchWaitsForIt() throws Exception {
        try (Connection reader = dataSource.getConnection()) {
            reader.setAutoCommit(false);
            reader.createStatement()
                    .executeQuery("SELECT count(*) FROM counter_summary")
                    .close();

            start();
            for (int read = 0; read < 10; read++) {
                Instant asked = Instant.now();
                assertThat(http.get("/api/counters/" + counter).status()).isEqualTo(200);
                assertThat(Duration.between(asked, Instant.now())).isLessThan(Duration.ofSeconds(1));
                Thread.sleep(300);
            }
            assertThat(replaying()).as("the switch waits for the reader").isTrue();
            reader.rollback();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !replaying());
    }

    private void rebuild() {
        start();
        await().atMost(Duration.ofSeconds(20)).until(() -> !replaying());
    }

    private void start() {
        assertThat(http.post("/api/admin/projections/counter-summary/replay", null, null, KEY)
                        .status())
                .isEqualTo(202);
    }

    private boolean replaying() {
        return !http.get("/api/admin/projections", KEY)
                .body()
                .contains("\"name\":\"counter-summary\",\"status\":\"RUNNING\"");
    }
}
