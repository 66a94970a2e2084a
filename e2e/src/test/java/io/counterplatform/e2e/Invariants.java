package io.counterplatform.e2e;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What must hold after any fault: every acknowledged increment is in the event store exactly once, no
 * idempotency key is stored twice, and the read model equals the event store.
 */
final class Invariants {

    private static final Duration CATCH_UP = Duration.ofMinutes(1);

    private Invariants() {}

    /** Every broken invariant, in words; empty when all hold. */
    static List<String> violations(Platform platform, Load load) throws SQLException {
        List<String> violations = new ArrayList<>(load.violations());
        compare("acknowledged sum", load.acknowledgedSums(), "stored sum", platform.eventStoreSums(), violations);
        compare(
                "acknowledged increments",
                load.acknowledgedCounts(),
                "stored events",
                platform.eventStoreCounts(),
                violations);
        platform.tally("SELECT convert_from(payload, 'UTF8')::json->>'idempotencyKey', count(*) FROM DomainEventEntry "
                        + "GROUP BY 1 HAVING count(*) > 1")
                .forEach((key, times) -> violations.add("idempotency key " + key + " stored " + times + " times"));
        readModelCatchesUp(platform, load, violations);
        return violations;
    }

    /**
     * The stream of the hot counter, followed across reconnects with {@code Last-Event-ID}, delivered every
     * version exactly once and in order.
     */
    static List<String> streamViolations(Platform platform, ResumingStream stream) throws SQLException {
        long stored = platform.eventStoreCounts().getOrDefault(Load.HOT_COUNTER, 0L);
        Instant deadline = Instant.now().plus(CATCH_UP);
        while (lastOf(stream.versions()) < stored && Instant.now().isBefore(deadline)) {
            pause();
        }
        List<Long> versions = stream.versions();
        List<String> violations = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i) != i + 1) {
                violations.add("the stream of " + Load.HOT_COUNTER + " sent version " + versions.get(i) + " where "
                        + (i + 1) + " was due");
                break;
            }
        }
        if (versions.size() != stored) {
            violations.add("the stream of " + Load.HOT_COUNTER + " sent " + versions.size() + " versions of " + stored);
        }
        return violations;
    }

    private static long lastOf(List<Long> versions) {
        return versions.isEmpty() ? 0 : versions.get(versions.size() - 1);
    }

    private static void readModelCatchesUp(Platform platform, Load load, List<String> violations) {
        Map<String, String> expected = load.expectedReadModel();
        Instant deadline = Instant.now().plus(CATCH_UP);
        Map<String, String> shown = Platform.readModel(platform.queries());
        while (!shown.equals(expected) && Instant.now().isBefore(deadline)) {
            pause();
            shown = Platform.readModel(platform.queries());
        }
        compare("expected read model", expected, "read model", shown, violations);
    }

    private static <V> void compare(
            String expectedName, Map<String, V> expected, String actualName, Map<String, V> actual, List<String> out) {
        for (String counter : new TreeSet<>(union(expected, actual))) {
            if (!Objects.equals(expected.get(counter), actual.get(counter))) {
                out.add(counter + ": " + expectedName + " " + expected.get(counter) + ", " + actualName + " "
                        + actual.get(counter));
            }
        }
    }

    private static TreeSet<String> union(Map<String, ?> first, Map<String, ?> second) {
        TreeSet<String> keys = new TreeSet<>(first.keySet());
        keys.addAll(second.keySet());
        return keys;
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
