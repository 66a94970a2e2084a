package io.counterplatform.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures how fast the query side builds its read model: a fresh PostgreSQL (durable commits) gets N events
 * over 1,000 counters, written straight into the event store; then the query side starts and its live projection
 * catches up from the first event; then a rebuild of the same model runs while the live one serves reads.
 *
 * <p>Arguments: the command-side jar (it creates the event tables), the query-side jar, the number of events.
 */
public final class RebuildBenchmark {

    private static final Pattern LAG = Pattern.compile("\"name\":\"counter-summary\"[^}]*\"lag\":(\\d+)");
    private static final String[] KEY = {"X-Api-Key", "benchmark"};

    private RebuildBenchmark() {}

    public static void main(String[] args) throws Exception {
        long events = Long.parseLong(args[2]);
        Path work = Files.createTempDirectory("rebuild-benchmark");
        try (LocalPostgres postgres = LocalPostgres.persistent(work.resolve("postgres"), freePort())) {
            Map<String, String> env = Map.of(
                    "SPRING_DATASOURCE_URL",
                    postgres.jdbcUrl(),
                    "SPRING_DATASOURCE_USERNAME",
                    LocalPostgres.USER,
                    "SPRING_DATASOURCE_PASSWORD",
                    LocalPostgres.PASSWORD,
                    "COUNTER_ADMIN_API_KEY",
                    "benchmark");
            ServiceProcess commandSide = ServiceProcess.start("command-side", Path.of(args[0]), freePort(), env, work)
                    .awaitHealthy(Duration.ofMinutes(3));
            Instant writing = Instant.now();
            append(postgres.jdbcUrl(), events);
            report("appending " + events + " events by SQL", events, writing);

            Instant starting = Instant.now();
            ServiceProcess querySide = ServiceProcess.start("query-side", Path.of(args[1]), freePort(), env, work)
                    .awaitHealthy(Duration.ofMinutes(3));
            Http queries = new Http(querySide.baseUrl());
            awaitCaughtUp(queries);
            report("live projection catching up from the first event (incl. start-up)", events, starting);

            Instant rebuilding = Instant.now();
            if (queries.post("/api/admin/projections/counter-summary/replay", null, null, KEY)
                            .status()
                    != 202) {
                throw new IllegalStateException("replay was not accepted");
            }
            while (queries.get("/api/admin/projections", KEY).body().contains("\"status\":\"REPLAYING\"")) {
                Thread.sleep(200);
            }
            report("rebuild of counter-summary, live model serving reads", events, rebuilding);
            querySide.stop();
            commandSide.stop();
        }
    }

    private static void append(String jdbcUrl, long events) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, LocalPostgres.USER, LocalPostgres.PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("""
                    INSERT INTO DomainEventEntry (aggregateIdentifier, sequenceNumber, type, eventIdentifier, metaData,
                                                  payload, payloadRevision, payloadType, timeStamp)
                    SELECT 'bench-' || (g % 1000), g / 1000, 'Counter', gen_random_uuid()::text, convert_to('{}', 'UTF8'),
                           convert_to(json_build_object('counterId', 'bench-' || (g % 1000), 'amount', 1,
                                                        'value', g / 1000 + 1, 'idempotencyKey', null,
                                                        'version', g / 1000 + 1)::text, 'UTF8'),
                           '2', 'io.counterplatform.api.counter.CounterIncremented',
                           to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                      FROM generate_series(0, ?) AS g
                    """.replace("?", Long.toString(events - 1)));
        }
    }

    private static void awaitCaughtUp(Http queries) throws InterruptedException {
        while (true) {
            Matcher lag = LAG.matcher(queries.get("/api/admin/projections", KEY).body());
            if (lag.find() && Long.parseLong(lag.group(1)) == 0) {
                return;
            }
            Thread.sleep(200);
        }
    }

    private static void report(String what, long events, Instant since) {
        double seconds = Duration.between(since, Instant.now()).toMillis() / 1000.0;
        System.out.printf("%-70s %8.1f s %10.0f events/s%n", what, seconds, events / seconds);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
