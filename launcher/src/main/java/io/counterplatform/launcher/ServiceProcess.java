package io.counterplatform.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One service jar running as a child process, with its output in a log file. */
public final class ServiceProcess {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private ServiceProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code java -jar jar} on {@code port} with the given environment added. */
    public static ServiceProcess start(
            String name, Path jar, int port, Map<String, String> environment, Path logDirectory) {
        return start(name, jar, List.of(), port, environment, logDirectory);
    }

    /**
     * Starts the jar with {@code extraClasspath} added to its own (Spring Boot's {@code loader.path}): folders whose
     * auto-configurations the service then picks up as its own.
     */
    public static ServiceProcess start(
            String name,
            Path jar,
            List<Path> extraClasspath,
            int port,
            Map<String, String> environment,
            Path logDirectory) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = extraClasspath.isEmpty()
                ? List.of(java, "-jar", jar.toString())
                : List.of(
                        java,
                        "-Dloader.path="
                                + String.join(
                                        ",",
                                        extraClasspath.stream()
                                                .map(Path::toString)
                                                .toList()),
                        "-cp",
                        jar.toString(),
                        "org.springframework.boot.loader.launch.PropertiesLauncher");
        try {
            Files.createDirectories(logDirectory);
            Path log = logDirectory.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            builder.environment().put("SERVER_PORT", Integer.toString(port));
            return new ServiceProcess(name, port, log, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** Blocks until {@code /actuator/health} answers 200, or fails with the end of the log. */
    public ServiceProcess awaitHealthy(Duration timeout) {
        return await("/actuator/health", 200, timeout);
    }

    /** Blocks until the process answers HTTP at all (a service without a health endpoint). */
    public ServiceProcess awaitListening(Duration timeout) {
        return await("/", -1, timeout);
    }

    private ServiceProcess await(String path, int status, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(2))
                .build();
        try {
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + "\n" + tail());
                }
                try {
                    int answer = HTTP.send(health, HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                    if (status == -1 || answer == status) {
                        return this;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
        throw new IllegalStateException(name + " not healthy within " + timeout + "\n" + tail());
    }

    /** The operating system's id of the service's process. */
    public long pid() {
        return process.pid();
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    /** Asks the service to shut down gracefully (SIGTERM), then insists. */
    public void stop() {
        process.destroy();
        awaitExit(Duration.ofSeconds(30));
    }

    /** Ends the service the way a crash does (SIGKILL): no shutdown hook, no graceful anything. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    private void awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
