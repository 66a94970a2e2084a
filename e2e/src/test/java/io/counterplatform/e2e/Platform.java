package io.counterplatform.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.counterplatform.e2e.hooks.ErrorInBatch;
import io.counterplatform.launcher.LocalPostgres;
import io.counterplatform.launcher.ServiceProcess;
import io.counterplatform.testsupport.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Both services as real processes on free ports, against one fresh database of the embedded PostgreSQL. */
final class Platform implements AutoCloseable {

    static final String ADMIN_KEY = "e2e-key";
    private static final Duration STARTUP = Duration.ofMinutes(2);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String jdbcUrl;
    private final Map<String, String> environment = new HashMap<>();
    private final Path logs = Path.of("target", "e2e-logs");
    private final int commandPort = freePort();
    private final int queryPort = freePort();
    private ServiceProcess commandSide;
    private ServiceProcess querySide;
    private final List<ServiceProcess> others = new ArrayList<>();
    private List<Path> commandSideClasspath = List.of();

    /** {@code settings}: more environment for the services, in name, value pairs. */
    Platform(String... settings) {
        this(LocalPostgres.shared(), settings);
    }

    /** On a database of the given server (one that a test may stop and start again). */
    Platform(LocalPostgres server, String... settings) {
        jdbcUrl = server.newDatabase("e2e");
        environment.put("SPRING_DATASOURCE_URL", jdbcUrl);
        environment.put("SPRING_DATASOURCE_USERNAME", LocalPostgres.USER);
        environment.put("SPRING_DATASOURCE_PASSWORD", LocalPostgres.PASSWORD);
        environment.put("COUNTER_ADMIN_API_KEY", ADMIN_KEY);
        // the tests' webhook receiver listens on loopback
        environment.put("COUNTER_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true");
        // the dashboard, served by the query side, sends increments to the command side
        environment.put("COUNTER_DASHBOARD_COMMAND_SIDE_URL", "http://localhost:" + commandPort);
        environment.put("COUNTER_CORS_ALLOWED_ORIGINS", "http://localhost:" + queryPort);
        for (int i = 0; i + 1 < settings.length; i += 2) {
            environment.put(settings[i], settings[i + 1]);
        }
    }

    /** The command side first: it creates the event tables. */
    Platform start() {
        commandSide = launchCommandSide("command-side", commandPort);
        commandSide.awaitHealthy(STARTUP);
        startQuerySide();
        return this;
    }

    /** Command sides run with the fault suite's hooks on their classpath ({@code hooks/}). */
    Platform withCommandSideHooks() {
        try {
            commandSideClasspath = List.of(Path.of(ErrorInBatch.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Another command-side instance on the same database: each keeps a cache of its own. */
    ServiceProcess startCommandInstance(String name, int port) {
        ServiceProcess instance = launchCommandSide(name, port);
        others.add(instance);
        return instance.awaitHealthy(STARTUP);
    }

    /** Started, not yet healthy: whoever holds it stops it, however its start-up ends. */
    private ServiceProcess launchCommandSide(String name, int port) {
        return ServiceProcess.start(name, jar("command-side"), commandSideClasspath, port, environment, logs);
    }

    void startQuerySide() {
        querySide = startQueryInstance("query-side", queryPort);
    }

    /** Another query-side instance on the same database: processors share their segments. */
    ServiceProcess startQueryInstance(String name, int port) {
        ServiceProcess instance = ServiceProcess.start(name, jar("query-side"), port, environment, logs);
        others.add(instance);
        return instance.awaitHealthy(STARTUP);
    }

    /** SIGKILL: no graceful shutdown, whatever was in flight is cut off. */
    void crashQuerySide() {
        querySide.kill();
    }

    /** SIGKILL of the command side, then the same command side again on the same port. */
    void crashAndRestartCommandSide() {
        commandSide.kill();
        commandSide = launchCommandSide("command-side", commandPort);
        commandSide.awaitHealthy(STARTUP);
    }

    Http commands() {
        return Http.commandSide(commandSide.baseUrl());
    }

    int queryPort() {
        return queryPort;
    }

    Http queries() {
        return Http.querySide(querySide.baseUrl());
    }

    /** The read model as a query side shows it, as {@code value=..,version=..} per counter. */
    static Map<String, String> readModel(Http queries) {
        try {
            Map<String, String> model = new TreeMap<>();
            for (JsonNode counter : MAPPER.readTree(
                            queries.get("/api/counters?size=500").body())
                    .get("items")) {
                model.put(
                        counter.get("counterId").asText(),
                        "value=" + counter.get("value").asLong() + ",version="
                                + counter.get("version").asLong());
            }
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Connection database() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, LocalPostgres.USER, LocalPostgres.PASSWORD);
    }

    /** Each counter's sum of amounts in the event store. */
    Map<String, Long> eventStoreSums() throws SQLException {
        return tally("SELECT aggregateIdentifier, sum((convert_from(payload, 'UTF8')::json->>'amount')::bigint) "
                + "FROM DomainEventEntry GROUP BY aggregateIdentifier");
    }

    /** Each counter's number of events in the event store. */
    Map<String, Long> eventStoreCounts() throws SQLException {
        return tally("SELECT aggregateIdentifier, count(*) FROM DomainEventEntry GROUP BY aggregateIdentifier");
    }

    /** A query's rows as (text, number) pairs. */
    Map<String, Long> tally(String sql) throws SQLException {
        Map<String, Long> result = new TreeMap<>();
        try (Connection connection = database();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                result.put(rows.getString(1), rows.getLong(2));
            }
        }
        return result;
    }

    /** Cuts every connection the services hold to the database, as a PostgreSQL restart does; returns how many. */
    int terminateServiceConnections() throws SQLException {
        return tally("SELECT 'terminated', count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        + "WHERE datname = current_database() AND pid <> pg_backend_pid()")
                .get("terminated")
                .intValue();
    }

    @Override
    public void close() {
        others.forEach(ServiceProcess::stop);
        if (commandSide != null) {
            commandSide.stop();
        }
    }

    private static Path jar(String service) {
        return Path.of(
                System.getProperty("counter." + service + ".jar", "../" + service + "/target/" + service + ".jar"));
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
