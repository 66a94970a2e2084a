package io.counterplatform.query.replay;

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
 * The switch-over of a rebuild: it never stalls the readers of the read model, never happens for an instance
 * that lost the rebuild, and leaves the table as the migrations made it (grants, index names).
 */
@IntegrationTest
@Import(EventStoreWriter.class)
@TestPropertySource(
        properties = {
            "counter.admin.api-key=test-key",
            "counter.replay.switch-lock-timeout=300ms",
            "counter.replay.lease=2s"
        })
class ReplaySwitchIT {

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
    void aRebuiltTableKeepsItsGrantsAndItsIndexNames() {
        jdbc.execute("DO $$ BEGIN CREATE ROLE dashboard_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        jdbc.execute("GRANT SELECT ON counter_summary TO dashboard_reader");

        rebuild();
        rebuild();

        assertThat(jdbc.queryForObject(
                        "SELECT has_table_privilege('dashboard_reader', 'counter_summary', 'SELECT')", Boolean.class))
                .isTrue();
        assertThat(jdbc.queryForList(
                        "SELECT indexname FROM pg_indexes WHERE tablename = 'counter_summary'", String.class))
                .containsExactly("counter_summary_pkey");
    }

    @Test
    void aReaderHoldingTheTableNeitherStallsOtherReadsNorLetsAnInstanceThatLostTheReplaySwitch() throws Exception {
        try (Connection reader = dataSource.getConnection()) {
            reader.setAutoCommit(false);
            reader.createStatement()
                    .executeQuery("SELECT count(*) FROM counter_summary")
                    .close();

            start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> jdbc.queryForObject(
                            "SELECT position >= target_position FROM projection_replay WHERE name = 'counter-summary'",
                            Boolean.class));
            for (int read = 0; read < 5; read++) {
                Instant asked = Instant.now();
                assertThat(http.get("/api/counters/" + counter).status()).isEqualTo(200);
                assertThat(Duration.between(asked, Instant.now())).isLessThan(Duration.ofSeconds(1));
                Thread.sleep(200);
            }
            // another instance takes the rebuild over while this one waits to switch
            jdbc.update(
                    "UPDATE projection_replay SET owner = 'another-instance', lease_until = now() + interval '1 hour' "
                            + "WHERE name = 'counter-summary'");
            reader.rollback();
        }

        Thread.sleep(1_500);
        assertThat(jdbc.queryForObject(
                        "SELECT status FROM projection_replay WHERE name = 'counter-summary'", String.class))
                .isEqualTo("RUNNING");
        assertThat(jdbc.queryForObject("SELECT to_regclass('counter_summary_next') IS NOT NULL", Boolean.class))
                .isTrue();
        jdbc.update("UPDATE projection_replay SET status = 'DONE', owner = NULL WHERE name = 'counter-summary'");
    }

    private void rebuild() {
        start();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "DONE"
                        .equals(jdbc.queryForObject(
                                "SELECT status FROM projection_replay WHERE name = 'counter-summary'", String.class)));
    }

    private void start() {
        assertThat(http.post("/api/admin/projections/counter-summary/replay", null, null, "X-Api-Key", "test-key")
                        .status())
                .isEqualTo(202);
    }
}
