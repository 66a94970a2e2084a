package io.counterplatform.command.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.counterplatform.command.IntegrationTest;
import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.Http.Response;
import java.util.UUID;
import org.axonframework.commandhandling.CommandBus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * The command side with every command, result and refusal passing through the Axon Server connector's
 * serializers with the application's serializer ({@link SerializingCommandBus}), as in the {@code axonserver}
 * profile: answers and every refusal's status are the same as in-process.
 */
@IntegrationTest
@Import(OverTheWire.class)
class CommandsOverTheWireIT {

    private static final String JSON = "application/json";

    @LocalServerPort
    private int port;

    @Autowired
    private CommandBus commandBus;

    private Http http;
    private String path;

    @BeforeEach
    void setUp() {
        http = Http.commandSide("http://localhost:" + port);
        path = "/api/counters/wire-" + UUID.randomUUID() + "/increments";
    }

    @Test
    void anIncrementAndItsReplayComeBackAsTheirResult() {
        Response first = http.post(path, JSON, "{\"amount\":5}", "Idempotency-Key", "k-1");
        Response replay = http.post(path, JSON, "{\"amount\":5}", "Idempotency-Key", "k-1");

        assertThat(commandBus).isInstanceOf(SerializingCommandBus.class);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).endsWith("\"value\":5,\"version\":1}");
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(replay.header("Idempotent-Replayed")).contains("true");
        assertThat(http.post("/increment", null, null).body()).startsWith("{\"count\":");
    }

    @Test
    void everyRefusalKeepsItsStatusAcrossTheWire() {
        http.post(path, JSON, "{\"amount\":5}", "Idempotency-Key", "k-1");

        Response reused = http.post(path, JSON, "{\"amount\":6}", "Idempotency-Key", "k-1");
        Response mismatch = http.post(path, null, null, "If-Match", "\"7\"");
        Response overflow = http.post(path, JSON, "{\"amount\":9223372036854775807}");

        assertThat(reused.status()).isEqualTo(422);
        assertThat(mismatch.status()).isEqualTo(412);
        assertThat(mismatch.header("ETag")).contains("\"1\"");
        assertThat(overflow.status()).isEqualTo(409);
        assertThat(overflow.contentType()).isEqualTo("application/problem+json");
    }
}
