package io.counterplatform.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.counterplatform.launcher.LocalPostgres;
import io.counterplatform.launcher.ServiceProcess;
import io.counterplatform.standin.AxonServerStandIn;
import io.counterplatform.testsupport.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The platform against a plain CRUD counter on the same PostgreSQL (durable commits), in one run, with the same
 * load generator: the CRUD counter, the command side alone, then both services, each on a fresh database, each
 * after a warm-up. Then a sustained run, a deep counter, the end-to-end lag at half the measured maximum, the
 * rebuild rate, and each process's memory. Prints a table and writes the numbers as JSON.
 *
 * <p>Arguments: the CRUD jar, the command-side jar, the query-side jar, the wrk script, the JSON file to write.
 */
public final class Benchmark {

    private static final Duration WARM_UP = Duration.ofSeconds(seconds("BENCH_WARM_UP_SECONDS", 30));
    /** The warm-up goes on, in slices, until the JIT compilers are all but idle, or until this much has passed. */
    private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(seconds("BENCH_WARM_UP_LIMIT_SECONDS", 240));

    private static final Duration WARM_UP_SLICE = Duration.ofSeconds(10);
    /** All but idle: the compilers of the warmed processes used less than this share of one core in a slice. */
    private static final double COMPILING_AT_MOST = 0.05;

    private static final Duration SCENARIO = Duration.ofSeconds(seconds("BENCH_SCENARIO_SECONDS", 20));
    private static final int SUSTAINED_MINUTES = (int) seconds("BENCH_SUSTAINED_MINUTES", 5);
    private static final int CONNECTIONS = 16;
    private static final String AXON_SERVER = System.getenv("AXONSERVER_SERVERS");
    /** Another build's command-side jar, measured alone in the same run: a change against what came before it. */
    private static final String COMPARED_JAR = System.getenv("BENCH_COMPARE_COMMAND_JAR");
    /**
     * Which systems to measure: all by default; {@code crud,alone} skips both services and what needs them, and
     * {@code standin} is the command side alone in the {@code axonserver} profile against the in-memory stand-in.
     */
    private static final List<String> SYSTEMS = List.of(System.getenv()
            .getOrDefault("BENCH_SYSTEMS", "crud,alone,standin,both")
            .split(","));

    private static final String ADMIN_KEY = "benchmark";
    private static final Pattern HEAD = Pattern.compile("\"head\":(\\d+)");
    private static final Pattern LAGGING = Pattern.compile("\"lag\":[1-9]");
    private static final Pattern HEAP = Pattern.compile("\"value\":([\\d.E]+)");

    private record Scenario(String name, int counters, String hot) {}

    private record Settings(
            long warmUpSeconds, long warmUpLimitSeconds, long scenarioSeconds, int connections, int wrkThreads) {}

    private record Deep(
            int events,
            double firstIncrementMillisDeep,
            double firstIncrementMillisFresh,
            Wrk.Run deep,
            Wrk.Run fresh) {}

    private record Rebuild(long events, double seconds, double eventsPerSecond) {}

    private static final List<Scenario> SCENARIOS = List.of(
            new Scenario("spread over 1,000 counters", 1_000, null),
            new Scenario("spread over 100,000 counters", 100_000, null),
            new Scenario("every increment on one counter", 1, "hot"));

    private final Path work;
    private final LocalPostgres postgres;
    private final Wrk wrk;
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final Map<String, Long> warmUpSeconds = new LinkedHashMap<>();
    /** The CPU ticks of every JIT compiler thread seen so far, by process and thread id. */
    private final Map<String, Long> compilerTicks = new HashMap<>();

    private Benchmark(Path work, LocalPostgres postgres, Wrk wrk) {
        this.work = work;
        this.postgres = postgres;
        this.wrk = wrk;
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("counter-benchmark");
        try (LocalPostgres postgres = LocalPostgres.persistent(work.resolve("postgres"), freePort())) {
            Benchmark benchmark = new Benchmark(work, postgres, new Wrk(Path.of(args[3])));
            benchmark.run(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]));
            benchmark.print();
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(Path.of(args[4]).toFile(), benchmark.results);
            System.out.println("\nThe numbers as JSON: " + args[4]);
        }
    }

    private void run(Path crudJar, Path commandJar, Path queryJar) throws Exception {
        results.put("machine", machine());
        results.put("eventStore", AXON_SERVER == null ? "jdbc (embedded PostgreSQL)" : "Axon Server at " + AXON_SERVER);
        results.put(
                "settings",
                new Settings(WARM_UP.toSeconds(), WARM_UP_LIMIT.toSeconds(), SCENARIO.toSeconds(), CONNECTIONS, 2));

        if (SYSTEMS.contains("crud")) {
            crud(crudJar);
        }
        if (SYSTEMS.contains("alone")) {
            commandSideAlone(commandJar);
        }
        if (SYSTEMS.contains("alone") && COMPARED_JAR != null) {
            ServiceProcess compared = start("command-side-compared", Path.of(COMPARED_JAR), database("compared"));
            results.put("commandSideAloneCompared", measure("commandSideAloneCompared", compared));
            compared.stop();
        }
        if (SYSTEMS.contains("standin")) {
            commandSideOnStandIn(commandJar);
        }
        if (SYSTEMS.contains("both")) {
            bothServices(commandJar, queryJar);
        }
    }

    private void crud(Path jar) throws IOException {
        ServiceProcess crud = ServiceProcess.start("crud-counter", jar, freePort(), database("crud"), work);
        crud.awaitListening(Duration.ofMinutes(2));
        results.put("crud", measure("crud", crud));
        results.put("crudMemory", memory(crud, null));
        crud.stop();
    }

    private void commandSideAlone(Path jar) throws Exception {
        Map<String, String> database = database("alone");
        ServiceProcess alone = start("command-side", jar, database);
        results.put("commandSideAlone", measure("commandSideAlone", alone));
        if (AXON_SERVER == null) { // the deep counter is written into the JDBC event store
            results.put("deepCounter", deepCounter(alone, database));
        }
        results.put("commandSideAloneMemory", memory(alone, alone.baseUrl()));
        alone.stop();
    }

    private void bothServices(Path commandJar, Path queryJar) throws Exception {
        Map<String, String> database = database("both");
        ServiceProcess commands = start("command-side", commandJar, database);
        ServiceProcess queries = start("query-side", queryJar, database);
        Map<String, Wrk.Run> both = measure("bothServices", new Http(queries.baseUrl()), commands, queries);
        results.put("bothServices", both);
        results.put("sustained", sustained(commands.baseUrl()));
        double half = both.get(SCENARIOS.get(0).name()).requestsPerSecond() / 2;
        results.put(
                "lag",
                LagProbe.measure(
                        new Http(commands.baseUrl()), new Http(queries.baseUrl()), half, Duration.ofSeconds(30)));
        results.put(
                "bothServicesMemory",
                Map.of(
                        "commandSide",
                        memory(commands, commands.baseUrl()),
                        "querySide",
                        memory(queries, queries.baseUrl())));
        results.put("rebuild", rebuild(new Http(queries.baseUrl())));
        queries.stop();
        commands.stop();
    }

    /**
     * Production mode's cost on the wire: the command side alone in the {@code axonserver} profile, its commands
     * routed and its events appended through the connector to an in-memory stand-in for Axon Server in this process
     * (a stand-in, not the server: it stores in memory, so only the command side's own numbers mean anything).
     */
    private void commandSideOnStandIn(Path jar) {
        try (AxonServerStandIn standIn = AxonServerStandIn.start(freePort())) {
            Map<String, String> environment = database("standin");
            environment.put("SPRING_PROFILES_ACTIVE", "axonserver");
            environment.put("AXONSERVER_SERVERS", standIn.address());
            ServiceProcess commands = start("command-side-standin", jar, environment);
            results.put("commandSideOnStandIn", measure("commandSideOnStandIn", commands));
            commands.stop();
        }
    }

    private Map<String, Wrk.Run> measure(String system, ServiceProcess service) {
        return measure(system, null, service);
    }

    /**
     * Warm-up, then every scenario once against the first service, with the CPU time the given services spent per
     * increment; with a query side, each scenario begins and ends when it has caught up.
     */
    private Map<String, Wrk.Run> measure(String system, Http queries, ServiceProcess... services) {
        String baseUrl = services[0].baseUrl();
        warmUp(system, baseUrl, services);
        Map<String, Wrk.Run> runs = new LinkedHashMap<>();
        for (Scenario scenario : SCENARIOS) {
            if (queries != null) {
                awaitCaughtUp(queries);
            }
            Duration before = cpu(services);
            Wrk.Run run = wrk.run(baseUrl, SCENARIO, CONNECTIONS, scenario.counters(), scenario.hot());
            if (queries != null) {
                awaitCaughtUp(queries);
            }
            runs.put(scenario.name(), run.withCpu(cpu(services).minus(before), SCENARIO));
        }
        return runs;
    }

    /**
     * Spread load for at least the warm-up, then on in slices while the services' JIT compilers still work (on two
     * cores a service keeps compiling for minutes, at a third of the box), up to the limit; its length is reported.
     */
    private void warmUp(String system, String baseUrl, ServiceProcess... services) {
        long started = System.nanoTime();
        wrk.run(baseUrl, WARM_UP, CONNECTIONS, 1_000, null);
        Duration compiling;
        do {
            Duration before = compilerCpu(services);
            wrk.run(baseUrl, WARM_UP_SLICE, CONNECTIONS, 1_000, null);
            compiling = compilerCpu(services).minus(before);
        } while (compiling.toMillis() > WARM_UP_SLICE.toMillis() * COMPILING_AT_MOST
                && Duration.ofNanos(System.nanoTime() - started).compareTo(WARM_UP_LIMIT) < 0);
        warmUpSeconds.put(system, Duration.ofNanos(System.nanoTime() - started).toSeconds());
        results.put("warmUpSeconds", warmUpSeconds);
    }

    /**
     * The CPU time the processes have used so far, their JIT compiler's excluded: on two cores a service is still
     * compiling minutes after a warm-up, a cost of starting, not of an increment.
     */
    private Duration cpu(ServiceProcess... services) {
        Duration total = Duration.ZERO;
        for (ServiceProcess service : services) {
            total = total.plus(ProcessHandle.of(service.pid())
                            .flatMap(process -> process.info().totalCpuDuration())
                            .orElseThrow(() -> new IllegalStateException("no CPU time for process " + service.pid())))
                    .minus(compilerCpuOf(service));
        }
        return total;
    }

    private Duration compilerCpu(ServiceProcess... services) {
        return Arrays.stream(services).map(this::compilerCpuOf).reduce(Duration.ZERO, Duration::plus);
    }

    /**
     * The CPU time of the process's JIT compiler threads so far, from {@code /proc} (Linux), those that have ended
     * included (the JVM starts and stops compiler threads as it needs them).
     */
    private Duration compilerCpuOf(ServiceProcess service) {
        try (Stream<Path> threads = Files.list(Path.of("/proc/" + service.pid() + "/task"))) {
            for (Path thread : threads.toList()) {
                String stat;
                try {
                    stat = Files.readString(thread.resolve("stat"));
                } catch (IOException ended) { // a thread that ended meanwhile is no compiler thread to count
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (name.matches("C[12] CompilerThre.*")) {
                    // after the name: state is field 3; utime and stime are fields 14 and 15
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    compilerTicks.put(
                            service.pid() + "/" + thread.getFileName(),
                            Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                }
            }
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
        long ticks = compilerTicks.entrySet().stream()
                .filter(thread -> thread.getKey().startsWith(service.pid() + "/"))
                .mapToLong(Map.Entry::getValue)
                .sum();
        return Duration.ofMillis(ticks * 10); // USER_HZ is 100 on Linux
    }

    /**
     * Waits until every processor of the query side has handled every event so far (at most two minutes): the CPU
     * the query side spends on a scenario's events is charged to that scenario, and the next starts from none.
     */
    private static void awaitCaughtUp(Http queries) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try {
            while (LAGGING.matcher(queries.get("/api/admin/projections", "X-Api-Key", ADMIN_KEY)
                                    .body())
                            .find()
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Increments over 1,000 counters without a pause, one rate per minute. */
    private List<Double> sustained(String baseUrl) {
        List<Double> perMinute = new ArrayList<>();
        for (int minute = 0; minute < SUSTAINED_MINUTES; minute++) {
            perMinute.add(wrk.run(baseUrl, Duration.ofMinutes(1), CONNECTIONS, 1_000, null)
                    .requestsPerSecond());
        }
        return perMinute;
    }

    /** A counter of 1,000,000 events (and its snapshot) against a new one: first increment, then steady. */
    private Deep deepCounter(ServiceProcess commandSide, Map<String, String> database) throws Exception {
        DeepCounter.write(
                database.get("SPRING_DATASOURCE_URL"), LocalPostgres.USER, LocalPostgres.PASSWORD, "deep", 1_000_000);
        Http commands = new Http(commandSide.baseUrl());
        return new Deep(
                1_000_000,
                timed(() -> commands.post("/api/counters/deep/increments", null, null)),
                timed(() -> commands.post("/api/counters/fresh/increments", null, null)),
                wrk.run(commandSide.baseUrl(), Duration.ofSeconds(10), 4, 1, "deep"),
                wrk.run(commandSide.baseUrl(), Duration.ofSeconds(10), 4, 1, "fresh"));
    }

    /** Rebuilds the read model from every event so far while the live one serves; events per second. */
    private Rebuild rebuild(Http queries) throws InterruptedException {
        String[] key = {"X-Api-Key", ADMIN_KEY};
        Matcher head = HEAD.matcher(queries.get("/api/admin/projections", key).body());
        long events = head.find() ? Long.parseLong(head.group(1)) : 0;
        Instant started = Instant.now();
        if (queries.post("/api/admin/projections/counter-summary/replay", null, null, key)
                        .status()
                != 202) {
            throw new IllegalStateException("the rebuild was not accepted");
        }
        while (queries.get("/api/admin/projections", key).body().contains("\"status\":\"REPLAYING\"")) {
            Thread.sleep(100);
        }
        double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
        return new Rebuild(events, seconds, events / seconds);
    }

    private ServiceProcess start(String name, Path jar, Map<String, String> database) {
        return ServiceProcess.start(name, jar, freePort(), database, work).awaitHealthy(Duration.ofMinutes(3));
    }

    /**
     * A fresh database, and, when {@code AXONSERVER_SERVERS} names an Axon Server, the {@code axonserver} profile
     * for the services (with {@code AXONSERVER_TOKEN} and {@code AXONSERVER_CONTEXT} passed on).
     */
    private Map<String, String> database(String name) {
        Map<String, String> environment = new LinkedHashMap<>(Map.of(
                "SPRING_DATASOURCE_URL",
                postgres.newDatabase(name),
                "SPRING_DATASOURCE_USERNAME",
                LocalPostgres.USER,
                "SPRING_DATASOURCE_PASSWORD",
                LocalPostgres.PASSWORD,
                "COUNTER_ADMIN_API_KEY",
                ADMIN_KEY,
                "MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE",
                "health,metrics,prometheus"));
        // settings for the services to try, e.g. COUNTER_GROUP_COMMIT_MAX_BATCH=1 or MANAGEMENT_TRACING_ENABLED=false
        System.getenv().forEach((variable, value) -> {
            if ((variable.startsWith("COUNTER_") || variable.startsWith("MANAGEMENT_")) && !name.equals("crud")) {
                environment.put(variable, value);
            }
        });
        if (AXON_SERVER != null && !name.equals("crud")) {
            environment.put("SPRING_PROFILES_ACTIVE", "axonserver");
            environment.put("AXONSERVER_SERVERS", AXON_SERVER);
            for (String passedOn : List.of("AXONSERVER_TOKEN", "AXONSERVER_CONTEXT")) {
                if (System.getenv(passedOn) != null) {
                    environment.put(passedOn, System.getenv(passedOn));
                }
            }
        }
        return environment;
    }

    /** Resident memory of the process, and the heap in use where the service reports it. */
    private static Map<String, Object> memory(ServiceProcess service, String actuator) throws IOException {
        Map<String, Object> memory = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + service.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                memory.put("rssMiB", Long.parseLong(line.replaceAll("\\D", "")) / 1024);
            }
        }
        if (actuator != null) {
            Matcher heap = HEAP.matcher(new Http(actuator)
                    .get("/actuator/metrics/jvm.memory.used?tag=area:heap", "X-Api-Key", ADMIN_KEY)
                    .body());
            if (heap.find()) {
                memory.put("heapUsedMiB", (long) Double.parseDouble(heap.group(1)) / (1024 * 1024));
            }
        }
        return memory;
    }

    private static double timed(Runnable request) {
        long started = System.nanoTime();
        request.run();
        return (System.nanoTime() - started) / 1_000_000.0;
    }

    @SuppressWarnings("unchecked")
    private void print() {
        Map<String, Wrk.Run> crud = (Map<String, Wrk.Run>) results.get("crud");
        Map<String, Wrk.Run> alone = (Map<String, Wrk.Run>) results.get("commandSideAlone");
        Map<String, Wrk.Run> onStandIn = (Map<String, Wrk.Run>) results.get("commandSideOnStandIn");
        Map<String, Wrk.Run> both = (Map<String, Wrk.Run>) results.get("bothServices");
        System.out.printf("%nevent store: %s; %s%n", results.get("eventStore"), results.get("machine"));
        System.out.printf("warm-up (until the JIT compilers are all but idle), seconds: %s%n", warmUpSeconds);
        System.out.printf(
                "%n%-32s %32s %38s %38s %38s%n",
                "scenario (req/s, p50/p99 ms)",
                "CRUD counter",
                "command side alone",
                "command side, Axon Server stand-in",
                "both services");
        for (Scenario scenario : SCENARIOS) {
            Wrk.Run base = crud == null ? null : crud.get(scenario.name());
            System.out.printf(
                    "%-32s %32s %38s %38s %38s%n",
                    scenario.name(),
                    cell(crud, scenario, base),
                    cell(alone, scenario, base),
                    cell(onStandIn, scenario, base),
                    cell(both, scenario, base));
        }
        System.out.println("(CPU: milliseconds of CPU time per increment, of the CRUD counter, the command side, or"
                + " both services together, their JIT compilers' excluded)");
        if (results.get("commandSideAloneCompared") instanceof Map<?, ?> compared) {
            for (Scenario scenario : SCENARIOS) {
                System.out.printf(
                        "%-32s %32s %38s%n",
                        scenario.name(),
                        "compared build alone",
                        cell(
                                (Map<String, Wrk.Run>) compared,
                                scenario,
                                crud == null ? null : crud.get(scenario.name())));
            }
        }
        List<Double> sustained = (List<Double>) results.get("sustained");
        if (sustained != null && !sustained.isEmpty()) {
            System.out.printf(
                    "%nsustained, both services, req/s per minute: %s (last/first %.2f)%n",
                    format(sustained), sustained.get(sustained.size() - 1) / sustained.get(0));
        }
        if (results.get("deepCounter") instanceof Deep deep) {
            System.out.printf(
                    "deep counter (1,000,000 events): first increment %.0f ms (new counter %.0f ms); "
                            + "then p50 %.2f ms vs %.2f ms (%.2fx)%n",
                    deep.firstIncrementMillisDeep(),
                    deep.firstIncrementMillisFresh(),
                    deep.deep().p50Millis(),
                    deep.fresh().p50Millis(),
                    deep.deep().p50Millis() / deep.fresh().p50Millis());
        }
        if (results.get("lag") instanceof LagProbe.Lags lag) {
            System.out.printf(
                    "end-to-end lag at %.0f req/s (%d increments): read model p50 %.1f ms p99 %.1f ms; "
                            + "live stream p50 %.1f ms p99 %.1f ms; versions the stream missed: %d%n",
                    lag.rate(),
                    lag.samples(),
                    lag.readModelP50(),
                    lag.readModelP99(),
                    lag.streamP50(),
                    lag.streamP99(),
                    lag.missed());
        }
        if (results.get("rebuild") instanceof Rebuild rebuild) {
            System.out.printf(
                    "rebuild of the read model: %d events in %.1f s, %.0f events/s%n",
                    rebuild.events(), rebuild.seconds(), rebuild.eventsPerSecond());
        }
        System.out.printf(
                "memory: CRUD %s; command side alone %s; both services %s%n",
                results.get("crudMemory"), results.get("commandSideAloneMemory"), results.get("bothServicesMemory"));
    }

    private static String cell(Map<String, Wrk.Run> system, Scenario scenario, Wrk.Run base) {
        if (system == null) {
            return "-";
        }
        Wrk.Run run = system.get(scenario.name());
        String ratio = base == null ? "" : String.format(" %.2fx", run.requestsPerSecond() / base.requestsPerSecond());
        String errors = run.errors() > 0 ? " ERRORS " + run.errors() : "";
        return String.format(
                "%,.0f %.1f/%.1f%s CPU %.2f%s",
                run.requestsPerSecond(), run.p50Millis(), run.p99Millis(), ratio, run.cpuMillisPerRequest(), errors);
    }

    private static String format(List<Double> rates) {
        return rates.stream().map(rate -> String.format("%,.0f", rate)).toList().toString();
    }

    private static Map<String, Object> machine() throws IOException {
        long cores = Runtime.getRuntime().availableProcessors();
        String model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(':') + 1).strip())
                .findFirst()
                .orElse("unknown");
        return Map.of("cores", cores, "cpu", model, "java", System.getProperty("java.version"));
    }

    private static long seconds(String variable, long otherwise) {
        return Long.parseLong(System.getenv().getOrDefault(variable, Long.toString(otherwise)));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
