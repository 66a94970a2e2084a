package io.counterplatform.launcher;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL from a jar: no installation, runs as any user. Persistent for {@code run.sh} (durable
 * commits, data kept in a folder), or throw-away for tests (one server per JVM, a fresh database per use).
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private static LocalPostgres shared;
    private final EmbeddedPostgres postgres;
    private final AtomicInteger databases = new AtomicInteger();

    private LocalPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** A server whose data lives in {@code dataDirectory} across restarts, with crash-safe commits. */
    public static LocalPostgres persistent(Path dataDirectory, int port) {
        try {
            Files.createDirectories(dataDirectory);
            return new LocalPostgres(EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "200")
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start PostgreSQL in " + dataDirectory, e);
        }
    }

    /** One throw-away server for the whole test JVM, stopped when the JVM exits. */
    public static synchronized LocalPostgres shared() {
        if (shared == null) {
            try {
                shared = new LocalPostgres(EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "300")
                        .start());
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the test PostgreSQL", e);
            }
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                // the JVM runs shutdown hooks together: let the test's applications disconnect first
                                shared.awaitNoClients(Duration.ofSeconds(20));
                                shared.close();
                            },
                            "stop-test-postgres"));
        }
        return shared;
    }

    /** The JDBC URL of the default database. */
    public String jdbcUrl() {
        return jdbcUrl(USER);
    }

    /** Creates an empty database, so that each test context starts from a clean schema. */
    public String newDatabase(String prefix) {
        String name = (prefix + "_" + databases.incrementAndGet()).toLowerCase().replaceAll("[^a-z0-9_]", "_");
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return jdbcUrl(name);
    }

    /** Waits until no other client is connected, or the timeout has passed. */
    void awaitNoClients(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            while (Instant.now().isBefore(deadline)) {
                try (ResultSet clients = statement.executeQuery("SELECT count(*) FROM pg_stat_activity "
                        + "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
                    clients.next();
                    if (clients.getInt(1) == 0) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
        } catch (SQLException | InterruptedException e) {
            // stop the server regardless
        }
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
