package io.counterplatform.command.counter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.counterplatform.api.counter.CounterIncremented;
import java.nio.charset.StandardCharsets;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.json.JsonTest;

/**
 * A snapshot is the aggregate through the application's own Jackson mapper: nothing may be lost on the way, and it
 * stays the same few bytes however many keyed increments the counter has had.
 */
@JsonTest
class CounterSnapshotTest {

    @Autowired
    private ObjectMapper applicationMapper;

    private JacksonSerializer serializer() {
        return JacksonSerializer.builder().objectMapper(applicationMapper).build();
    }

    @Test
    void aCounterSurvivesTheJacksonRoundTripAndHoldsNoKeys() {
        Counter counter = new Counter();
        for (int version = 1; version <= 10_000; version++) {
            counter.on(new CounterIncremented("c-1", 1, version, "key-" + version, version));
        }

        SerializedObject<byte[]> snapshot = serializer().serialize(counter, byte[].class);
        Counter restored = serializer().deserialize(snapshot);

        assertThat(new String(snapshot.getData(), StandardCharsets.UTF_8))
                .isEqualTo("{\"counterId\":\"c-1\",\"value\":10000,\"version\":10000}");
        assertThat(restored).usingRecursiveComparison().isEqualTo(counter);
    }

    @Test
    void aSnapshotOfAnEarlierVersionThatHeldRecentKeysStillLoads() {
        byte[] earlier =
                "{\"counterId\":\"c-1\",\"value\":8,\"version\":3,\"recentKeys\":{\"first\":{\"amount\":2,\"value\":2,\"version\":1}}}"
                        .getBytes(StandardCharsets.UTF_8);

        Counter restored = serializer()
                .deserialize(new SimpleSerializedObject<>(earlier, byte[].class, Counter.class.getName(), null));

        Counter expected = new Counter();
        expected.on(new CounterIncremented("c-1", 8, 8, null, 3));
        assertThat(restored).usingRecursiveComparison().isEqualTo(expected);
    }
}
