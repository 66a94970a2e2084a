package io.counterplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.counterplatform.e2e.hooks.ErrorInBatch;
import io.counterplatform.launcher.LocalPostgres;
import io.counterplatform.launcher.ServiceProcess;
import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Both services as real processes under a steady load of increments, each with its own idempotency key and
 * retried with it until acknowledged, a live stream of the hot counter followed as a browser does, and a webhook
 * receiver that times out, answers 500, drops the connection or answers long after the sender gave up. Each
 * scenario injects its faults; then every invariant must hold: every acknowledged increment stored exactly once,
 * the read model equal to the store, the stream complete and in order, every event since the subscription
 * delivered, in version order per counter. The suite prints one line per scenario.
 */
class FaultInjectionIT {

    private static final int CLIENTS = 4;
    private static final Duration PACE = Duration.ofMillis(40);
    /** The command timeout (10 s) and a second: no answer may come later, whatever the fault. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(11);
    /** The oldest acknowledged increments, sent again after the faults: each must be answered as the first time. */
    private static final int RETRIED = 200;

    private static final Duration STALL = Duration.ofSeconds(20);
    /** {@code -Dfaults.scale=10}: ten times the faults of each repeated kind, a soak rather than a check. */
    private static final int SCALE = Integer.getInteger("faults.scale", 1);

    private static final List<String> TABLE = new ArrayList<>();
    private static final String[] SETTINGS = {
        "COUNTER_ADMIN_API_KEY", "e2e-key",
        "COUNTER_WEBHOOKS_TIMEOUT", "1s",
        "COUNTER_WEBHOOKS_INITIAL_BACKOFF", "20ms",
        "COUNTER_WEBHOOKS_MAX_BACKOFF", "1s",
        "COUNTER_WEBHOOKS_MAX_ATTEMPTS", "1000",
        "COUNTER_WEBHOOKS_POLL_INTERVAL", "100ms",
        "COUNTER_WEBHOOKS_WORKERS", "32",
        // a crashed instance's segments, rebuilds' among them, are taken over soon
        "AXON_EVENTHANDLING_TOKENSTORE_CLAIMTIMEOUT", "3s"
    };

    @AfterAll
    static void printTable() {
        System.out.printf(
                "%n%-48s %10s %7s %8s %6s %10s%n", "scenario", "increments", "faults", "retries", "503s", "violations");
        TABLE.forEach(System.out::println);
    }

    @Test
    void connectionsToPostgresCutWhileCommitsAreInFlight() throws Exception {
        try (Platform platform = new Platform(SETTINGS).start()) {
            scenario("PostgreSQL connections cut mid-commit", platform, load -> {
                for (int round = 0; round < 25 * SCALE; round++) {
                    load.awaitMore(40);
                    platform.terminateServiceConnections();
                }
                return 25 * SCALE;
            });
        }
    }

    @Test
    void theCommandSideKilledAndRestarted() throws Exception {
        try (Platform platform = new Platform(SETTINGS).start()) {
            scenario("command side killed (SIGKILL) and restarted", platform, load -> {
                for (int round = 0; round < 3 * SCALE; round++) {
                    load.awaitMore(300);
                    platform.crashAndRestartCommandSide();
                }
                return 3 * SCALE;
            });
        }
    }

    @Test
    void postgresRestartedWhileBothServicesRun() throws Exception {
        Path data = Files.createTempDirectory("restarted-postgres");
        int port = Platform.freePort();
        LocalPostgres[] server = {LocalPostgres.persistent(data, port)};
        try (Platform platform = new Platform(server[0], SETTINGS).start()) {
            scenario("PostgreSQL restarted", platform, load -> {
                Http commands = platform.commands();
                for (int round = 0; round < 3 * SCALE; round++) {
                    load.awaitMore(200);
                    server[0].close();
                    await(
                            () -> commands.get("/actuator/health").status() == 503,
                            "health DOWN while PostgreSQL is down");
                    server[0] = LocalPostgres.persistent(data, port);
                    await(() -> commands.get("/actuator/health").status() == 200, "health UP again");
                }
                return 3 * SCALE;
            });
        } finally {
            server[0].close();
        }
    }

    @Test
    void postgresHangsForTwentySeconds() throws Exception {
        Path data = Files.createTempDirectory("hung-postgres");
        try (LocalPostgres server = LocalPostgres.persistent(data, Platform.freePort());
                Platform platform = new Platform(server, SETTINGS).start()) {
            scenario("PostgreSQL hung (every process stopped) for 20 s", platform, load -> {
                Http commands = platform.commands();
                load.awaitMore(200);
                signalPostgres(data, "STOP");
                try {
                    await(
                            () -> commands.get("/actuator/health/readiness").status() == 503,
                            "readiness DOWN while PostgreSQL hangs");
                    Thread.sleep(STALL.toMillis()); // the fault: how long the database stays stopped
                } finally {
                    signalPostgres(data, "CONT");
                }
                await(() -> commands.get("/actuator/health/readiness").status() == 200, "readiness UP again");
                return 1;
            });
        }
    }

    /**
     * PostgreSQL accepts connections but never answers: the migrations' own connection (no statement or socket
     * time limit) gives up within the driver's login timeout, and the service stops with an error instead of
     * waiting for ever. Without SSL the driver's first message is the login itself, which only that limit bounds.
     */
    @Test
    void aServiceStartedWhilePostgresHangsStopsWithAnError() throws Exception {
        Path data = Files.createTempDirectory("hung-at-start-up");
        try (LocalPostgres server = LocalPostgres.persistent(data, Platform.freePort());
                Platform platform = new Platform(
                        server, "SPRING_DATASOURCE_URL", server.newDatabase("hung") + "?sslmode=disable")) {
            signalPostgres(data, "STOP");
            try {
                assertThatThrownBy(platform::start).hasMessageContaining("command-side exited with");
            } finally {
                signalPostgres(data, "CONT");
            }
        }
    }

    @Test
    void aRetryAfterTwentyThousandLaterKeyedIncrementsOfItsCounter() throws Exception {
        try (Platform platform = new Platform(SETTINGS).start()) {
            // no webhook subscription: delivering 20,000 events of one counter in order is not what this is about
            scenario(
                    "retries after 20,000 later keyed increments",
                    platform,
                    List.of(platform.commands()),
                    null,
                    load -> {
                        load.awaitMore(200); // the oldest of these are retried once the burst is over
                        load.paced(Duration.ZERO);
                        load.hotOnly(true);
                        load.awaitMore(20_000);
                        load.hotOnly(false);
                        load.paced(PACE);
                        return 1;
                    });
        }
    }

    @Test
    void anErrorThrownAsABatchCommits() throws Exception {
        try (Platform platform = new Platform(SETTINGS).withCommandSideHooks().start()) {
            scenario("an Error thrown as a batch commits", platform, load -> {
                for (int error = 0; error < 10 * SCALE; error++) {
                    load.awaitMore(100);
                    load.incrementHotWithKey(ErrorInBatch.KEY_PREFIX + error);
                }
                return 10 * SCALE;
            });
        }
    }

    @Test
    void twoCommandSidesShareTheStoreWithStaleCaches() throws Exception {
        try (Platform platform = new Platform(SETTINGS).start()) {
            Http second = Http.commandSide(platform.startCommandInstance("command-side-b", Platform.freePort())
                    .baseUrl());
            // each try goes to either instance: each one's cache of the hot counter is stale every other time
            scenario(
                    "two command sides, one store, stale caches",
                    platform,
                    List.of(platform.commands(), second),
                    FaultInjectionIT::unreliably,
                    load -> {
                        load.awaitMore(1_500);
                        return 0;
                    });
        }
    }

    @Test
    void theQuerySideKilledInTheMiddleOfAReplay() throws Exception {
        try (Platform platform =
                new Platform(concat(SETTINGS, "COUNTER_REPLAY_MAX_EVENTS_PER_SECOND", "200")).start()) {
            scenario("query side killed mid-batch and mid-rebuild", platform, load -> {
                load.awaitMore(1_000);
                Http queries = platform.queries();
                assertThat(queries.post(
                                        "/api/admin/projections/counter-summary/replay",
                                        null,
                                        null,
                                        "X-Api-Key",
                                        "e2e-key")
                                .status())
                        .isEqualTo(202);
                await(() -> progress(platform) > 0.2, "the rebuild a fifth of the way");
                platform.crashQuerySide();
                platform.startQuerySide();
                await(() -> progress(platform) < 0, "the rebuild finished by the restarted query side");
                return 1;
            });
        }
    }

    /** The running rebuild's progress, or -1 when none runs. */
    private static double progress(Platform platform) {
        String projections = platform.queries()
                .get("/api/admin/projections", "X-Api-Key", "e2e-key")
                .body();
        Matcher progress = Pattern.compile(
                        "\"name\":\"counter-summary\".*?\"replay\":(null|\\{\"progress\":([0-9.E-]+))")
                .matcher(projections);
        return progress.find() && progress.group(2) != null ? Double.parseDouble(progress.group(2)) : -1;
    }

    @Test
    void oneOfTwoQuerySidesKilled() throws Exception {
        try (Platform platform = new Platform(SETTINGS).start()) {
            ServiceProcess second = platform.startQueryInstance("query-side-b", Platform.freePort());
            scenario("one of two query sides killed", platform, load -> {
                load.awaitMore(1_000);
                second.kill();
                return 1;
            });
        }
    }

    /**
     * Load, live stream and webhook receiver around the fault; then every invariant. {@code receiverAnswers}: how the
     * receiver answers each delivery, or null for no subscription at all.
     */
    private static void scenario(String name, Platform platform, Fault fault) throws Exception {
        scenario(name, platform, List.of(platform.commands()), FaultInjectionIT::unreliably, fault);
    }

    private static void scenario(
            String name,
            Platform platform,
            List<Http> commandSides,
            Function<WebhookReceiver.Received, Integer> receiverAnswers,
            Fault fault)
            throws Exception {
        Load load = new Load(commandSides, 20).paced(PACE);
        try (WebhookReceiver receiver = new WebhookReceiver();
                ResumingStream stream =
                        new ResumingStream(() -> platform.queries().baseUrl(), Load.HOT_COUNTER)) {
            Webhooks webhooks = null;
            if (receiverAnswers != null) {
                receiver.answer(receiverAnswers);
                webhooks = Webhooks.subscribe(platform, receiver);
            }
            AtomicBoolean faultsDone = new AtomicBoolean();
            CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
                try {
                    load.runUntil(CLIENTS, faultsDone::get);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            int faults;
            try {
                faults = fault.inject(load);
                load.awaitMore(200); // and traffic once the system is whole again
            } finally {
                faultsDone.set(true);
                traffic.join();
            }
            List<String> violations = new ArrayList<>(Invariants.violations(platform, load));
            violations.addAll(Invariants.streamViolations(platform, stream));
            if (webhooks != null) {
                violations.addAll(webhooks.violations(platform));
            }
            violations.addAll(load.retryViolations(RETRIED));
            if (load.slowestMillis() > ANSWER_WITHIN.toMillis()) {
                violations.add("a request was answered after " + load.slowestMillis() + " ms, past "
                        + ANSWER_WITHIN.toMillis() + " ms");
            }
            record(name, load, faults, violations);
            assertThat(violations).isEmpty();
        }
    }

    /**
     * 82% answered, the rest failed every way a receiver fails; the slow answers are rarer (each costs the hot
     * counter's deliveries seconds), and still several per scenario.
     */
    private static int unreliably(WebhookReceiver.Received request) {
        int roll = ThreadLocalRandom.current().nextInt(1000);
        if (roll < 820) {
            return 204;
        }
        if (roll < 910) {
            return 500;
        }
        if (roll < 990) {
            return WebhookReceiver.DROP;
        }
        // past the sender's timeout (1 s), or past its lease (3 s); the late answer counts for nothing
        sleep(roll < 995 ? 1_500 : 3_500);
        return 204;
    }

    /** Sends a signal to PostgreSQL's postmaster and every process it started: STOP to hang it, CONT to resume. */
    private static void signalPostgres(Path data, String signal) throws Exception {
        long postmaster = Long.parseLong(
                Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
        for (int attempt = 1; ; attempt++) {
            List<String> command = new ArrayList<>(List.of("kill", "-" + signal, Long.toString(postmaster)));
            ProcessHandle.of(postmaster)
                    .orElseThrow()
                    .descendants()
                    .forEach(child -> command.add(Long.toString(child.pid())));
            if (new ProcessBuilder(command).inheritIO().start().waitFor() == 0) {
                return;
            }
            // a backend that ended after the listing fails the command; every other process had its signal
            assertThat(attempt).as("kill -" + signal + " failed").isLessThan(5);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within 2 minutes: " + what);
            }
            sleep(100);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String[] concat(String[] settings, String... more) {
        String[] all = new String[settings.length + more.length];
        System.arraycopy(settings, 0, all, 0, settings.length);
        System.arraycopy(more, 0, all, settings.length, more.length);
        return all;
    }

    private static void record(String scenario, Load load, int faults, List<String> violations) {
        TABLE.add(String.format(
                "%-48s %10d %7d %8d %6d %10d",
                scenario, load.sent(), faults, load.retries(), load.unavailable(), violations.size()));
        violations.stream().limit(20).forEach(violation -> TABLE.add("    " + violation));
    }

    /** A fault, injected while the load runs; returns how many times it struck. */
    @FunctionalInterface
    private interface Fault {
        int inject(Load load) throws Exception;
    }
}
