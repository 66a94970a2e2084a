package io.counterplatform.command.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.axoniq.axonserver.grpc.SerializedObject;
import io.axoniq.axonserver.grpc.event.Event;
import io.counterplatform.api.counter.CounterIncremented;
import io.counterplatform.standin.AxonServerStandIn;
import io.counterplatform.testsupport.FreshDatabase;
import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.Http.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The command side in the {@code axonserver} profile, its commands routed and its events stored through the Axon
 * Server connector (its serializers, its gRPC calls) to an in-memory stand-in that answers as Axon Server does. What
 * the profile promises is proven on that wire: a key is remembered across a lost confirmation and a refused append,
 * Axon Server's sequence check is a race the command side wins by trying again, and a key table out of reach is a
 * {@code 503} for keyed increments only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = FreshDatabase.class)
@ActiveProfiles("axonserver")
class AxonServerStandInIT {

    private static final AxonServerStandIn AXON_SERVER = AxonServerStandIn.start(0);
    private static final String JSON = "application/json";

    @DynamicPropertySource
    static void axonServer(DynamicPropertyRegistry properties) {
        properties.add("axon.axonserver.servers", AXON_SERVER::address);
    }

    @AfterAll
    static void stop() {
        AXON_SERVER.close();
    }

    @LocalServerPort
    private int port;

    @Autowired
    private JdbcTemplate jdbc;

    private Http http;
    private String counter;

    @BeforeEach
    void setUp() {
        http = Http.commandSide("http://localhost:" + port);
        counter = "wire-" + UUID.randomUUID();
    }

    @Test
    void anIncrementItsRetryAndEveryRefusalKeepTheirAnswersAcrossTheWire() {
        Response first = increment("k-1", 5);
        Response retry = increment("k-1", 5);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).endsWith("\"value\":5,\"version\":1}");
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.header("Idempotent-Replayed")).contains("true");
        assertThat(increment("k-1", 6).status()).isEqualTo(422);
        assertThat(http.post(path(), null, null, "If-Match", "\"7\"").status()).isEqualTo(412);
        assertThat(http.post(path(), JSON, "{\"amount\":9223372036854775807}").status())
                .isEqualTo(409);
        assertThat(AXON_SERVER.events(counter)).hasSize(1);
    }

    @Test
    void aRetryAfterAConfirmationLostOnItsWayBackIsAnsweredFromAxonServer() {
        increment(null, 1);
        AXON_SERVER.loseNextConfirmation();

        Response lost = increment("lost-confirmation", 2);
        Response retry = increment("lost-confirmation", 2);

        assertThat(lost.status()).isEqualTo(503);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.header("Idempotent-Replayed")).contains("true");
        assertThat(retry.body()).endsWith("\"value\":3,\"version\":2}");
        assertThat(AXON_SERVER.events(counter)).hasSize(2);
    }

    @Test
    void aRetryAfterAnAppendThatNeverReachedAxonServerAppendsItOnce() {
        AXON_SERVER.refuseNextAppend();

        Response refused = increment("refused", 2);
        Response retry = increment("refused", 2);
        Response again = increment("refused", 2);

        assertThat(refused.status()).isEqualTo(503);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.header("Idempotent-Replayed")).isEmpty();
        assertThat(again.header("Idempotent-Replayed")).contains("true");
        assertThat(again.body()).isEqualTo(retry.body());
        assertThat(AXON_SERVER.events(counter)).hasSize(1);
    }

    @Test
    void aCachedCounterThatAnotherInstanceMovedOnLosesTheSequenceCheckAndIsHandledAgain() {
        increment(null, 1); // now cached at version 1
        AXON_SERVER.append(List.of(storedElsewhere(1, new CounterIncremented(counter, 10, 11, null, 2))));

        Response next = increment(null, 1);

        assertThat(next.status()).isEqualTo(200);
        assertThat(next.body()).endsWith("\"value\":12,\"version\":3}");
        assertThat(AXON_SERVER.events(counter)).hasSize(3);
    }

    @Test
    void withItsKeyTableOutOfReachEveryKeyedIncrementIs503AndEveryOneWithoutAKeyStillCounts() throws Exception {
        List<Future<Response>> keyed = new ArrayList<>();
        List<Future<Response>> unkeyed = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        jdbc.execute("ALTER TABLE idempotency_key RENAME TO idempotency_key_away");
        try {
            // at once, so that keyed and unkeyed increments share batches
            for (int i = 0; i < 8; i++) {
                String key = "unprovable-" + i;
                keyed.add(clients.submit(() -> increment(key, 1)));
                unkeyed.add(clients.submit(() -> increment(null, 1)));
            }
            for (Future<Response> answer : keyed) {
                assertThat(answer.get().status()).isEqualTo(503);
            }
            for (Future<Response> answer : unkeyed) {
                assertThat(answer.get().status()).isEqualTo(200);
            }
        } finally {
            clients.shutdownNow();
            jdbc.execute("ALTER TABLE idempotency_key_away RENAME TO idempotency_key");
        }
        assertThat(increment("unprovable-0", 1).body()).endsWith("\"version\":9}");
        assertThat(AXON_SERVER.events(counter)).hasSize(9);
    }

    private Response increment(String key, long amount) {
        String body = "{\"amount\":" + amount + "}";
        return key == null ? http.post(path(), JSON, body) : http.post(path(), JSON, body, "Idempotency-Key", key);
    }

    private String path() {
        return "/api/counters/" + counter + "/increments";
    }

    /** An event as another command-side instance would have appended it, serialized as this one would. */
    private static Event storedElsewhere(long sequence, CounterIncremented increment) {
        String json = String.format(
                "{\"counterId\":\"%s\",\"amount\":%d,\"value\":%d,\"idempotencyKey\":null,\"version\":%d}",
                increment.counterId(), increment.amount(), increment.value(), increment.version());
        return Event.newBuilder()
                .setMessageIdentifier(UUID.randomUUID().toString())
                .setAggregateIdentifier(increment.counterId())
                .setAggregateSequenceNumber(sequence)
                .setAggregateType("Counter")
                .setTimestamp(System.currentTimeMillis())
                .setPayload(SerializedObject.newBuilder()
                        .setType(CounterIncremented.class.getName())
                        .setRevision("2")
                        .setData(ByteString.copyFrom(json, StandardCharsets.UTF_8)))
                .build();
    }
}
