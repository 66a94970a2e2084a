package io.counterplatform.command.counter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.counterplatform.command.IntegrationTest;
import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.Http.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Many clients at once on a few counters, so that commands share their transactions (group commit): every key
 * sent twice at the same moment, and conditional increments racing each other. Every answer must be what the
 * command would have got alone, and the store must hold exactly what the answers said.
 */
@IntegrationTest
class ConcurrentIncrementsIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int KEYS = 600;

    @LocalServerPort
    private int port;

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void everyAnswerMatchesTheStoreUnderConcurrentIdempotentAndConditionalIncrements() throws Exception {
        String prefix = "concurrent-" + UUID.randomUUID() + "-";
        List<String> counters = List.of(prefix + "a", prefix + "b", prefix + "c");
        Http http = Http.commandSide("http://localhost:" + port);
        Map<String, Long> lastSeen = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        List<Future<Response>> twice = new ArrayList<>();
        List<Future<Response>> conditional = new ArrayList<>();
        try {
            for (int i = 0; i < KEYS; i++) {
                String counter = counters.get(i % counters.size());
                String body = "{\"amount\":" + (1 + ThreadLocalRandom.current().nextInt(3)) + "}";
                String key = UUID.randomUUID().toString();
                for (int copy = 0; copy < 2; copy++) {
                    twice.add(clients.submit(
                            () -> http.post(path(counter), "application/json", body, "Idempotency-Key", key)));
                }
                conditional.add(clients.submit(() -> {
                    long seen = lastSeen.getOrDefault(counter, 0L);
                    Response response = http.post(path(counter), null, null, "If-Match", "\"" + seen + "\"");
                    lastSeen.merge(counter, version(response), Math::max);
                    return response;
                }));
            }
            List<JsonNode> accepted = new ArrayList<>();
            for (int i = 0; i < twice.size(); i += 2) {
                Response first = twice.get(i).get();
                Response second = twice.get(i + 1).get();
                assertThat(first.status()).isEqualTo(200);
                assertThat(second.body()).isEqualTo(first.body());
                assertThat(List.of(first, second))
                        .filteredOn(
                                answer -> answer.header("Idempotent-Replayed").isPresent())
                        .hasSize(1);
                accepted.add(json(first));
            }
            for (Future<Response> answer : conditional) {
                Response response = answer.get();
                assertThat(response.status()).isIn(200, 412);
                if (response.status() == 200) {
                    accepted.add(json(response));
                }
            }
            assertStoreHoldsExactly(prefix, accepted);
        } finally {
            clients.shutdownNow();
        }
    }

    /** One event per accepted answer, at the answer's version, with the answer's value. */
    private void assertStoreHoldsExactly(String prefix, List<JsonNode> accepted) {
        Map<String, String> answered = new TreeMap<>();
        for (JsonNode answer : accepted) {
            String previous = answered.put(
                    answer.get("counterId").asText() + "@"
                            + answer.get("version").asLong(),
                    answer.get("value").asText());
            assertThat(previous).as("two answers with one version").isNull();
        }
        Map<String, String> stored = new TreeMap<>();
        jdbc.query(
                "SELECT aggregateIdentifier, sequenceNumber, convert_from(payload, 'UTF8')::json->>'value' "
                        + "FROM DomainEventEntry WHERE aggregateIdentifier LIKE ?",
                row -> {
                    stored.put(row.getString(1) + "@" + (row.getLong(2) + 1), row.getString(3));
                },
                prefix + "%");
        assertThat(stored).isEqualTo(answered);
    }

    private static String path(String counter) {
        return "/api/counters/" + counter + "/increments";
    }

    private static long version(Response response) {
        return response.header("ETag")
                .map(tag -> Long.parseLong(tag.replace("\"", "")))
                .orElse(0L);
    }

    private static JsonNode json(Response response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
