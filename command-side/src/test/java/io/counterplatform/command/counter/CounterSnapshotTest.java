package io.counterplatform.command.counter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.counterplatform.api.counter.CounterIncremented;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.json.JsonTest;

/** A snapshot is the aggregate through the application's own Jackson mapper; nothing may be lost on the way. */
@JsonTest
class CounterSnapshotTest {

    @Autowired
    private ObjectMapper applicationMapper;

    @Test
    void aCounterSurvivesTheJacksonRoundTripWithItsIdempotencyKeys() {
        Counter counter = new Counter();
        counter.on(new CounterIncremented("c-1", 2, 2, "first", 1));
        counter.on(new CounterIncremented("c-1", 5, 7, null, 2));
        counter.on(new CounterIncremented("c-1", 1, 8, "third", 3));
        JacksonSerializer serializer =
                JacksonSerializer.builder().objectMapper(applicationMapper).build();

        SerializedObject<byte[]> snapshot = serializer.serialize(counter, byte[].class);
        Counter restored = serializer.deserialize(snapshot);

        assertThat(new String(snapshot.getData())).contains("\"first\"", "\"third\"", "\"recentKeys\"");
        assertThat(restored).usingRecursiveComparison().isEqualTo(counter);
    }
}
