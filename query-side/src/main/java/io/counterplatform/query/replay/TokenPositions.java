package io.counterplatform.query.replay;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Where each processor stands, read from the token table rather than from this instance, so that segments
 * claimed by other instances count too. Reading never claims a token.
 */
@Component
class TokenPositions {

    private final JdbcTemplate jdbc;
    private final Serializer serializer;

    TokenPositions(JdbcTemplate jdbc, Serializer serializer) {
        this.jdbc = jdbc;
        this.serializer = serializer;
    }

    /** The position every segment of the processor has reached, or null before it has any token. */
    Long position(String processor) {
        List<OptionalLong> positions = jdbc.query(
                "SELECT token, tokenType FROM TokenEntry WHERE processorName = ?",
                (row, n) -> position(row.getBytes(1), row.getString(2)),
                processor);
        if (positions.isEmpty() || positions.stream().anyMatch(OptionalLong::isEmpty)) {
            return null;
        }
        return positions.stream().mapToLong(OptionalLong::getAsLong).min().orElseThrow();
    }

    private OptionalLong position(byte[] token, String type) {
        if (token == null || type == null) {
            return OptionalLong.empty();
        }
        TrackingToken trackingToken =
                serializer.deserialize(new SimpleSerializedObject<>(token, byte[].class, type, null));
        return Objects.requireNonNull(trackingToken).position();
    }
}
