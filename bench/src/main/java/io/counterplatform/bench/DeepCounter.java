package io.counterplatform.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Writes a counter with a long history straight into the event store: its events, and the snapshot the command
 * side would have taken on the way, as a counter that lived that long has.
 */
final class DeepCounter {

    private DeepCounter() {}

    static void write(String jdbcUrl, String user, String password, String counterId, long events) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute("""
                    INSERT INTO DomainEventEntry (aggregateIdentifier, sequenceNumber, type, eventIdentifier, metaData,
                                                  payload, payloadRevision, payloadType, timeStamp)
                    SELECT '%1$s', g, 'Counter', gen_random_uuid()::text, convert_to('{}', 'UTF8'),
                           convert_to(json_build_object('counterId', '%1$s', 'amount', 1, 'value', g + 1,
                                                        'idempotencyKey', null, 'version', g + 1)::text, 'UTF8'),
                           '2', 'io.counterplatform.api.counter.CounterIncremented',
                           to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                      FROM generate_series(0, %2$d) AS g
                    """.formatted(counterId, events - 1));
            statement.execute("""
                    INSERT INTO SnapshotEventEntry (aggregateIdentifier, sequenceNumber, type, eventIdentifier, metaData,
                                                    payload, payloadRevision, payloadType, timeStamp)
                    VALUES ('%1$s', %2$d, 'Counter', gen_random_uuid()::text, convert_to('{}', 'UTF8'),
                            convert_to('{"counterId":"%1$s","value":%3$d,"version":%3$d}', 'UTF8'),
                            NULL, 'io.counterplatform.command.counter.Counter',
                            to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
                    """.formatted(counterId, events - 1, events));
        }
    }
}
