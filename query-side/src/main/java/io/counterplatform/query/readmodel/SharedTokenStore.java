package io.counterplatform.query.readmodel;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.common.jdbc.JdbcUtils;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.AbstractTokenEntry;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.TokenStoreProperties;
import org.springframework.stereotype.Component;

/**
 * Axon's JDBC token store, which can also show every segment of a processor as stored, whichever instance claims
 * it, without claiming it: Axon's own {@code fetchToken} claims, and a processor's status covers only this
 * instance's segments. Read with Axon's own statement and row reader.
 */
@Component
public class SharedTokenStore extends JdbcTokenStore {

    /** As Axon's auto-configuration builds it, with the default schema. */
    SharedTokenStore(ConnectionProvider connections, Serializer serializer, TokenStoreProperties settings) {
        super(JdbcTokenStore.builder()
                .connectionProvider(connections)
                .serializer(serializer)
                .claimTimeout(settings.getClaimTimeout()));
    }

    /** A segment as stored: its token (null before its first), its owner (null when free), its last claim. */
    public record Segment(int segment, TrackingToken token, String owner, Instant claimed) {}

    public List<Segment> segments(String processor) {
        Connection connection = getConnection();
        try (PreparedStatement statement = selectTokenEntries(connection, processor);
                ResultSet rows = statement.executeQuery()) {
            List<Segment> segments = new ArrayList<>();
            while (rows.next()) {
                AbstractTokenEntry<?> entry = readTokenEntry(rows);
                segments.add(new Segment(
                        entry.getSegment(), entry.getToken(serializer()), entry.getOwner(), entry.timestamp()));
            }
            return segments;
        } catch (SQLException failure) {
            throw new JdbcException("Could not read the tokens of " + processor, failure);
        } finally {
            JdbcUtils.closeQuietly(connection);
        }
    }
}
