package io.counterplatform.query.live;

import static io.counterplatform.query.live.CounterStreamIT.PATIENCE;
import static io.counterplatform.query.live.CounterStreamIT.appendConcurrently;
import static io.counterplatform.query.live.CounterStreamIT.json;
import static io.counterplatform.query.live.CounterStreamIT.oneTo;
import static io.counterplatform.query.live.CounterStreamIT.versionsPerCounter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.counterplatform.api.counter.CounterSlice;
import io.counterplatform.api.counter.CounterView;
import io.counterplatform.api.counter.FindCountersAfter;
import io.counterplatform.query.EventStoreWriter;
import io.counterplatform.query.IntegrationTest;
import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.SseClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The stream of all counters: a walk over every counter by id, merged with the changes committed meanwhile, each
 * version sent once and in order, and an end for a client that falls too far behind.
 */
@IntegrationTest
@Import({EventStoreWriter.class, CounterStreamIT.SmallSendBuffers.class})
@TestPropertySource(
        properties = {
            "counter.live.heartbeat=200ms",
            // a slice every 50 ms: changes fall between a walk's reads as well as during them
            "counter.live.walk-rate=10000",
            "counter.live.max-streams-per-client=1000",
            "counter.admin.api-key=" + AllCountersStreamIT.ADMIN_KEY
        })
class AllCountersStreamIT {

    static final String ADMIN_KEY = "all-streams-tests-admin-key";

    @LocalServerPort
    private int port;

    @Autowired
    private EventStoreWriter events;

    @Autowired
    private JdbcTemplate jdbc;

    private String prefix;

    @BeforeEach
    void setUp() {
        prefix = "a-" + UUID.randomUUID() + "-";
    }

    @Test
    void countersBornWhileTheStreamRunsArriveFromTheirFirstVersionOnceAndInOrder() throws Exception {
        List<String> counters = List.of(prefix + "hot", prefix + "a", prefix + "b", prefix + "c");
        try (SseClient all = SseClient.connect(url("/api/stream"))) {
            Map<String, Long> appended = appendConcurrently(events, counters, 1_000);

            Map<String, List<Long>> versions = versionsPerCounter(all, appended);

            for (String counter : counters) {
                assertThat(versions.get(counter)).as(counter).containsExactlyElementsOf(oneTo(appended.get(counter)));
            }
        }
    }

    @Test
    void aWalkOverThousandsOfCountersWhileTheyChangeSendsEachVersionOnce() throws Exception {
        List<String> walked = IntStream.range(0, 2_000)
                .mapToObj(i -> prefix + "w%04d".formatted(i))
                .toList();
        events.incrementEach(walked);
        await().atMost(PATIENCE).until(() -> countersStartingWith(prefix) == walked.size());

        try (SseClient all = SseClient.connect(url("/api/stream"))) {
            // 2,000 more increments over the same counters, in an order that crosses the slices while they are read
            ExecutorService pool = Executors.newFixedThreadPool(8);
            for (int i = 0; i < 2_000; i++) {
                String counter = walked.get(i * 7 % walked.size());
                pool.execute(() -> events.increment(counter, 1));
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
            Map<String, Long> last = new HashMap<>();
            walked.forEach(counter -> last.put(counter, 2L));

            Map<String, List<Long>> versions = versionsPerCounter(all, last);

            for (String counter : walked) {
                List<Long> sent = versions.get(counter);
                // its state when its slice was read, then every later version once
                assertThat(sent)
                        .as(counter)
                        .isEqualTo(
                                LongStream.rangeClosed(sent.get(0), 2).boxed().toList());
            }
        }
    }

    @Test
    void aClientTooSlowForTheStreamIsCutOffWithoutAGap() throws Exception {
        String counter = prefix + "slow";
        events.increment(counter, 1);
        await().atMost(PATIENCE).until(() -> countersStartingWith(counter) == 1);
        double overtakenBefore = metric("counter.live.overtaken");
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(1024);
            slow.connect(new InetSocketAddress("localhost", port));
            slow.getOutputStream()
                    .write(("GET /api/stream HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                                    + "Accept: text/event-stream\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            await().until(() -> metric("counter.live.streams") > 0);

            appendConcurrently(events, List.of(counter), 10_000);
            await().atMost(PATIENCE)
                    .until(() -> http("/api/counters/" + counter).contains("\"version\":10001"));

            List<Long> ids = new ArrayList<>();
            BufferedReader lines =
                    new BufferedReader(new InputStreamReader(slow.getInputStream(), StandardCharsets.UTF_8));
            slow.setSoTimeout((int) PATIENCE.toMillis());
            // the stream ends where the client fell behind: what it got is complete up to there
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("id:")) {
                    ids.add(Long.parseLong(line.substring(3).strip()));
                } else if (line.startsWith("data:") && !line.contains("\"counterId\":\"" + counter + "\"")) {
                    ids.remove(ids.size() - 1); // another counter's
                }
            }
            // the answer ended (the loop above reads to its end) before the client had every version
            assertThat(ids).hasSizeLessThan(10_001);
            assertThat(ids)
                    .isEqualTo(LongStream.rangeClosed(1, ids.size()).boxed().toList());
            assertThat(metric("counter.live.overtaken")).isGreaterThan(overtakenBefore);
        }
    }

    @Test
    void clientsThatStopReadingDoNotStallAnotherStream() throws Exception {
        String counter = prefix + "watched";
        List<Socket> stalled = new ArrayList<>();
        try (SseClient watcher = SseClient.connect(url("/api/counters/" + counter + "/stream"))) {
            for (int i = 0; i < 12; i++) { // more than Spring MVC's shared pool of eight
                Socket socket = SseClient.stalled(port, "/api/stream");
                stalled.add(socket);
            }
            await().atMost(PATIENCE).until(() -> metric("counter.live.streams") >= 13);
            // every stalled stream's writer blocks on its full socket long before this many states
            appendConcurrently(events, List.of(prefix + "busy"), 3_000);

            events.increment(counter, 1);

            assertThat(watcher.next(PATIENCE)).isNotNull();
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    @Test
    void aClientThatStopsReadingIsNotDroppedForTheHeartbeatsItMisses() throws Exception {
        // enough counters for the walk to fill the client's socket at once
        events.incrementEach(IntStream.range(0, 1_000)
                .mapToObj(i -> prefix + "h%04d".formatted(i))
                .toList());
        await().atMost(PATIENCE).until(() -> countersStartingWith(prefix) == 1_000);
        double before = metric("counter.live.streams");
        try (Socket stalled = SseClient.stalled(port, "/api/stream")) {

            // fifty heartbeats fall due while its socket is full, more than any queue on the way holds
            await().during(Duration.ofSeconds(10))
                    .atMost(Duration.ofSeconds(15))
                    .until(() -> metric("counter.live.streams") > before);
        }
    }

    @Test
    void idsAreReadInTheOrderTheWalkComparesThem(@Autowired QueryGateway queries) {
        List<String> ids = List.of(prefix + "B", prefix + "_", prefix + "a", prefix + "Z", prefix + "-", prefix + "9");
        events.incrementEach(ids);
        await().atMost(PATIENCE).until(() -> countersStartingWith(prefix) == ids.size());

        CounterSlice slice = queries.query(new FindCountersAfter(prefix, 6), CounterSlice.class)
                .join();

        assertThat(slice.items()).map(CounterView::counterId).isSortedAccordingTo(String::compareTo);
        assertThat(jdbc.queryForObject(
                        "SELECT collation_name FROM information_schema.columns "
                                + "WHERE table_name = 'counter_summary' AND column_name = 'counter_id'",
                        String.class))
                .isEqualTo("C");
    }

    private double metric(String name) {
        return json(http("/actuator/metrics/" + name))
                .get("measurements")
                .get(0)
                .get("value")
                .asDouble();
    }

    private long countersStartingWith(String prefix) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM counter_summary WHERE starts_with(counter_id, ?)", Long.class, prefix);
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private String http(String path) {
        return new Http(url(""), "X-Api-Key", ADMIN_KEY).get(path).body();
    }
}
