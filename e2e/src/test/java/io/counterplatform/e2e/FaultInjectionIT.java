package io.counterplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Both services as real processes under a steady load of increments, each with its own idempotency key and
 * retried with it until acknowledged, while faults are injected. After each scenario every invariant must hold;
 * the suite prints one line per scenario.
 */
class FaultInjectionIT {

    private static final int CLIENTS = 8;
    private static final List<String> TABLE = new ArrayList<>();

    @AfterAll
    static void printTable() {
        System.out.printf("%n%-44s %10s %7s %8s %10s%n", "scenario", "increments", "faults", "retries", "violations");
        TABLE.forEach(System.out::println);
    }

    @Test
    void connectionsToPostgresCutWhileCommitsAreInFlightLoseAndDoubleNothing() throws Exception {
        try (Platform platform = new Platform().start()) {
            Load load = new Load(platform.commands(), 20);
            AtomicBoolean faultsDone = new AtomicBoolean();
            CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
                try {
                    load.runUntil(CLIENTS, faultsDone::get);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            int faults = 0;
            for (int round = 0; round < 25; round++) {
                int sentBefore = load.sent();
                while (load.sent() < sentBefore + 40 && !traffic.isDone()) {
                    Thread.sleep(10);
                }
                platform.terminateServiceConnections();
                faults++;
            }
            faultsDone.set(true);
            traffic.join();

            List<String> violations = Invariants.violations(platform, load);
            record("PostgreSQL connections cut mid-commit", load, faults, violations);
            assertThat(violations).isEmpty();
        }
    }

    private static void record(String scenario, Load load, int faults, List<String> violations) {
        TABLE.add(String.format(
                "%-44s %10d %7d %8d %10d", scenario, load.sent(), faults, load.retries(), violations.size()));
        violations.stream().limit(20).forEach(violation -> TABLE.add("    " + violation));
    }
}
