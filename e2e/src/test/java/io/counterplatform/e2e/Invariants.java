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
