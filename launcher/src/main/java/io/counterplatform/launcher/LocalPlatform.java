package io.counterplatform.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the whole platform on this machine: PostgreSQL (embedded, data kept in a folder, unless
 * {@code SPRING_DATASOURCE_URL} names another), then the command side, then the query side. Ctrl-C stops all.
 *
 * <p>Arguments: the command-side jar and the query-side jar.
 */
public final class LocalPlatform {

    private LocalPlatform() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: LocalPlatform <command-side.jar> <query-side.jar>");
            System.exit(2);
        }
        Map<String, String> env = System.getenv();
        Path dataDirectory = Path.of(env.getOrDefault("COUNTER_DATA_DIR", ".data"));
        Map<String, String> database = new HashMap<>();
        LocalPostgres postgres = null;
        if (env.containsKey("SPRING_DATASOURCE_URL")) {
            System.out.println("Using PostgreSQL at " + env.get("SPRING_DATASOURCE_URL"));
        } else {
            int port = Integer.parseInt(env.getOrDefault("COUNTER_DB_PORT", "54329"));
            postgres = LocalPostgres.persistent(dataDirectory.resolve("postgres"), port);
            database.put("SPRING_DATASOURCE_URL", postgres.jdbcUrl());
            database.put("SPRING_DATASOURCE_USERNAME", LocalPostgres.USER);
            database.put("SPRING_DATASOURCE_PASSWORD", LocalPostgres.PASSWORD);
            System.out.println(
                    "PostgreSQL " + postgres.jdbcUrl() + " (data in " + dataDirectory.resolve("postgres") + ")");
        }
        Path logs = dataDirectory.resolve("logs");
        int commandPort = Integer.parseInt(env.getOrDefault("COMMAND_SIDE_PORT", "8080"));
        int queryPort = Integer.parseInt(env.getOrDefault("QUERY_SIDE_PORT", "8081"));

        // The command side owns the event tables, so it migrates first.
        ServiceProcess commandSide =
                ServiceProcess.start("command-side", Path.of(args[0]), commandPort, database, logs);
        List<ServiceProcess> running = new ArrayList<>(List.of(commandSide));
        LocalPostgres stopLast = postgres;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(running, stopLast), "stop-platform"));
        commandSide.awaitHealthy(Duration.ofMinutes(3));
        ServiceProcess querySide = ServiceProcess.start("query-side", Path.of(args[1]), queryPort, database, logs);
        running.add(0, querySide); // stopped first
        querySide.awaitHealthy(Duration.ofMinutes(3));

        System.out.printf(
                """

                Counter platform is up (logs in %s):
                  command side  %s   (POST /api/counters/{id}/increments)
                  query side    %s   (GET /api/counters, the dashboard at /)
                  API docs      %s/swagger-ui.html and %s/swagger-ui.html
                Press Ctrl-C to stop.
                """, logs, commandSide.baseUrl(), querySide.baseUrl(), commandSide.baseUrl(), querySide.baseUrl());
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void stopAll(List<ServiceProcess> running, LocalPostgres postgres) {
        System.out.println("Stopping...");
        running.forEach(ServiceProcess::stop);
        if (postgres != null) {
            postgres.close();
        }
        System.out.println("Stopped.");
    }
}
