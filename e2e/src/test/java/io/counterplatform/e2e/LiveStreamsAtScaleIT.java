package io.counterplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.counterplatform.testsupport.SseClient;
import java.net.Socket;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The stream of all counters over a million of them: both services as processes, a read model of 1,000,000
 * counters (rows written directly, as a rebuild leaves them: they have no history to read), and 50 clients on
 * {@code /api/stream} at once while increments run on counters in the middle and at the end of the walk. Five read
 * as fast as they can: each gets the first counters at once, every counter at most once and in id order, and every
 * version of the counters that change one after another; 45 stop reading after their first bytes and cost the
 * others nothing. After the load, a client that reconnects starts a new walk at once.
 */
class LiveStreamsAtScaleIT {

    private static final int SEEDED = 1_000_000;
    private static final int READING = 5;
    private static final int NEVER_READING = 45;
    private static final Duration LOAD = Duration.ofSeconds(20);
    private static final Pattern STATE =
            Pattern.compile("\"counterId\":\"([^\"]+)\",\"value\":\\d+,\"version\":(\\d+)");

    @Test
    void fiftyClientsStartAndResumeOverAMillionCountersWhileTheyChange() throws Exception {
        // a heartbeat a second: departed clients are noticed quickly
        try (Platform platform = new Platform("COUNTER_LIVE_HEARTBEAT", "1s").start()) {
            // "b-" and "d-" counters around the load's "c-" ones; its "hot" counter sorts after them all
            try (Connection database = platform.database();
                    Statement statement = database.createStatement()) {
                statement.execute("INSERT INTO counter_summary (counter_id, value, version, updated_at) "
                        + "SELECT (CASE WHEN i % 2 = 0 THEN 'b-' ELSE 'd-' END) || lpad(i::text, 7, '0'), 1, 1, now() "
                        + "FROM generate_series(0, " + (SEEDED - 1) + ") AS i");
                // written to disk now, not while the load runs
                statement.execute("ANALYZE counter_summary");
                statement.execute("CHECKPOINT");
            }
            String stream = "http://localhost:" + platform.queryPort() + "/api/stream";
            List<Reader> readers = new ArrayList<>();
            List<SseClient> clients = new ArrayList<>();
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < READING; i++) {
                    Reader reader = new Reader();
                    readers.add(reader);
                    clients.add(SseClient.connect(stream, reader::accept));
                }
                for (int i = 0; i < NEVER_READING; i++) {
                    stalled.add(openWithoutReading(platform.queryPort()));
                }
                Load load = new Load(platform.commands(), 200);
                Instant end = Instant.now().plus(LOAD);
                load.runUntil(4, () -> Instant.now().isAfter(end));

                assertThat(load.violations()).isEmpty();
                for (Reader reader : readers) {
                    assertThat(reader.violations()).isEmpty();
                    assertThat(reader.firstState.get()).isNotNull();
                    assertThat(reader.seeded.get()).isGreaterThanOrEqualTo(500);
                }

                // a reconnect walks again from the first counter, once the server has noticed a departed client
                stalled.remove(0).close();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    try (SseClient again = SseClient.connect(stream)) {
                        return again.status() == 200
                                && again.next(Duration.ofSeconds(10)).data().contains("\"counterId\":\"b-0000000\"");
                    }
                });
                System.out.printf(
                        "a million counters, %d clients reading and %d not: %d increments in %d s; states each reader "
                                + "received %s, the first after %s ms; streams cut off %s; query side heap %s%n",
                        READING,
                        NEVER_READING,
                        load.sent(),
                        LOAD.toSeconds(),
                        readers.stream().map(reader -> reader.states.get()).toList(),
                        readers.stream()
                                .map(reader -> Duration.between(reader.opened, reader.firstState.get())
                                        .toMillis())
                                .toList(),
                        metric(platform, "counter.live.overtaken"),
                        metric(platform, "jvm.memory.used?tag=area:heap"));
            } finally {
                clients.forEach(SseClient::close);
                for (Socket socket : stalled) {
                    socket.close();
                }
            }
        }
    }

    private static String metric(Platform platform, String name) {
        String body = platform.queries()
                .get("/actuator/metrics/" + name, "X-Api-Key", Platform.ADMIN_KEY)
                .body();
        Matcher value = Pattern.compile("\"value\":([0-9.E]+)").matcher(body);
        return value.find() ? value.group(1) : body;
    }

    /** A stream that is never read after its first bytes. */
    private static Socket openWithoutReading(int port) throws Exception {
        Socket socket = SseClient.stalled(port, "/api/stream");
        socket.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
        assertThat(socket.getInputStream().read(new byte[64])).isPositive();
        return socket;
    }

    /** One client's view: the counters of the walk in id order, each once; other counters' versions in sequence. */
    private static final class Reader {

        private final Instant opened = Instant.now();
        private final AtomicReference<Instant> firstState = new AtomicReference<>();
        private final AtomicLong states = new AtomicLong();
        private final AtomicLong seeded = new AtomicLong();
        private final AtomicReference<String> lastSeeded = new AtomicReference<>("");
        private final Map<String, Long> lastVersion = new ConcurrentHashMap<>();
        private final Queue<String> violations = new ConcurrentLinkedQueue<>();

        /** On the HTTP client's thread, one message at a time. */
        void accept(SseClient.Event event) {
            Matcher state = STATE.matcher(event.data());
            if (!state.find()) {
                violations.add("not a counter: " + event.data());
                return;
            }
            firstState.compareAndSet(null, Instant.now());
            states.incrementAndGet();
            String counter = state.group(1);
            long version = Long.parseLong(state.group(2));
            if (counter.startsWith("b-") || counter.startsWith("d-")) {
                if (counter.compareTo(lastSeeded.get()) <= 0) {
                    violations.add(counter + " after " + lastSeeded.get());
                }
                lastSeeded.set(counter);
                seeded.incrementAndGet();
                return;
            }
            Long last = lastVersion.put(counter, version);
            if (last != null && version != last + 1) {
                violations.add(counter + ": version " + version + " after " + last);
            }
        }

        List<String> violations() {
            return List.copyOf(violations);
        }
    }
}
