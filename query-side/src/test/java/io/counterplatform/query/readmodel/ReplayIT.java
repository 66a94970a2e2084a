package io.counterplatform.query.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.counterplatform.query.EventStoreWriter;
import io.counterplatform.query.IntegrationTest;
import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.Http.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/** Rebuilding a read model while it serves reads and while events keep coming. */
@IntegrationTest
@Import(EventStoreWriter.class)
@TestPropertySource(properties = "counter.admin.api-key=test-key")
class ReplayIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final ObjectMapper MAPPER = new ObjectMapper();
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

    @BeforeEach
    void setUp() {
        http = Http.querySide("http://localhost:" + port);
    }

    @Test
    void theAdminApiNeedsTheKey() {
        for (Response response : List.of(
                http.get("/api/admin/projections"),
                http.get("/api/admin/projections", "X-Api-Key", "wrong"),
                http.post("/api/admin/projections/counter-summary/replay", null, null),
                http.post("/api/admin/projections/counter-summary/replay", null, null, "X-Api-Key", "test-key-"))) {
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.contentType()).isEqualTo("application/problem+json");
        }
    }

    @Test
    void everyStreamingProcessorIsListedWithItsPosition() {
        events.increment("listed", 1);
        await().atMost(PATIENCE).until(() -> {
            JsonNode summary = projection("counter-summary");
            return summary.get("lag").isNumber() && summary.get("lag").asLong() == 0;
        });

        JsonNode summary = projection("counter-summary");
        JsonNode webhooks = projection("webhooks");
        assertThat(summary.get("status").asText()).isEqualTo("RUNNING");
        assertThat(summary.get("replayable").asBoolean()).isTrue();
        assertThat(summary.get("position").asLong())
                .isEqualTo(summary.get("head").asLong())
                .isPositive();
        assertThat(summary.get("replay").isNull()).isTrue();
        assertThat(webhooks.get("replayable").asBoolean()).isFalse();
    }

    @Test
    void anUnknownProjectionIs404AndTheWebhookProcessorIsNeverReplayed() {
        assertThat(http.post("/api/admin/projections/nothing/replay", null, null, KEY)
                        .status())
                .isEqualTo(404);
        Response webhooks = http.post("/api/admin/projections/webhooks/replay", null, null, KEY);
        assertThat(webhooks.status()).isEqualTo(409);
        assertThat(webhooks.contentType()).isEqualTo("application/problem+json");
    }

    @Test
    void aReplayUnderConcurrentWritesEndsEqualToTheHistoryAndReadsNeverGoBack() throws Exception {
        for (int i = 0; i < 2_000; i++) {
            events.increment("r-" + (i % 40), 1 + i % 3);
        }
        awaitReadModelMatchesHistory();
        // a read model gone wrong: the rebuild must repair it
        jdbc.update("UPDATE counter_summary SET value = value + 1000 WHERE counter_id = 'r-1'");
        jdbc.update("DELETE FROM counter_summary WHERE counter_id = 'r-2'");

        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService background = Executors.newFixedThreadPool(3);
        List<String> violations = new CopyOnWriteArrayList<>();
        for (int writer = 0; writer < 2; writer++) {
            int offset = writer;
            background.execute(() -> {
                for (int i = 0; running.get(); i++) {
                    events.increment("live-" + offset + "-" + (i % 10), 1);
                }
            });
        }
        background.execute(() -> watchReads(running, violations));

        assertThat(http.post("/api/admin/projections/counter-summary/replay", null, null, KEY)
                        .status())
                .isEqualTo(202);
        await().atMost(PATIENCE)
                .until(() -> projection("counter-summary").get("replay").isNull());
        running.set(false);
        background.shutdown();
        assertThat(background.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        awaitReadModelMatchesHistory();
        assertThat(violations).isEmpty();
        assertThat(projection("counter-summary").get("status").asText()).isEqualTo("RUNNING");
    }

    @Test
    void aSecondReplayWhileOneRunsIs409() throws Exception {
        events.increment("busy", 1);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            assertThat(http.post("/api/admin/projections/counter-summary/replay", null, null, KEY)
                            .status())
                    .isEqualTo(202);
            try (Statement statement = connection.createStatement()) {
                // holds the rebuild at its switch-over, so it is surely still running
                statement.execute("LOCK TABLE counter_summary IN ROW EXCLUSIVE MODE");
                JsonNode running = projection("counter-summary");

                assertThat(http.post("/api/admin/projections/counter-summary/replay", null, null, KEY)
                                .status())
                        .isEqualTo(409);
                assertThat(running.get("status").asText()).isEqualTo("REPLAYING");
                assertThat(running.get("replay").get("startedAt").asText()).isNotBlank();
                assertThat(running.get("replay").get("progress").asDouble()).isBetween(0.0, 1.0);
            } finally {
                connection.rollback();
            }
        }
        await().atMost(PATIENCE)
                .until(() -> projection("counter-summary").get("replay").isNull());
    }

    private void watchReads(AtomicBoolean running, List<String> violations) {
        Map<String, Long> seen = new ConcurrentHashMap<>();
        while (running.get()) {
            Map<String, Long> now = new TreeMap<>();
            for (JsonNode counter : json(http.get("/api/counters?size=500")).get("items")) {
                now.put(
                        counter.get("counterId").asText(),
                        counter.get("version").asLong());
            }
            seen.forEach((counter, version) -> {
                if (!now.containsKey(counter)) {
                    violations.add(counter + " disappeared");
                } else if (now.get(counter) < version) {
                    violations.add(counter + " went back from " + version + " to " + now.get(counter));
                }
            });
            now.forEach((counter, version) -> seen.merge(counter, version, Math::max));
        }
    }

    private void awaitReadModelMatchesHistory() {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(readModel()).isEqualTo(events.expected()));
    }

    private Map<String, String> readModel() {
        Map<String, String> model = new TreeMap<>();
        jdbc.query("SELECT counter_id, value, version FROM counter_summary", row -> {
            model.put(row.getString(1), "value=" + row.getLong(2) + ",version=" + row.getLong(3));
        });
        return model;
    }

    private JsonNode projection(String name) {
        for (JsonNode projection : json(http.get("/api/admin/projections", KEY))) {
            if (projection.get("name").asText().equals(name)) {
                return projection;
            }
        }
        throw new AssertionError("no projection " + name);
    }

    private static JsonNode json(Response response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(response.body(), e);
        }
    }
}
