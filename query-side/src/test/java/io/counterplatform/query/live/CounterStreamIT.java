package io.counterplatform.query.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.counterplatform.api.counter.CounterView;
import io.counterplatform.api.counter.FindCounter;
import io.counterplatform.query.EventStoreWriter;
import io.counterplatform.query.IntegrationTest;
import io.counterplatform.query.readmodel.ReadModels;
import io.counterplatform.testsupport.SseClient;
import io.counterplatform.testsupport.SseClient.Event;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/** Live streams: complete, in order, resumable, and gone without a trace when the client is. */
@IntegrationTest
@Import({EventStoreWriter.class, CounterStreamIT.SmallSendBuffers.class})
@TestPropertySource(
        properties = {
            "counter.live.heartbeat=200ms",
            "counter.live.buffer-size=16",
            "counter.live.max-streams-per-client=1000",
            "counter.admin.api-key=" + CounterStreamIT.ADMIN_KEY
        })
class CounterStreamIT {

    static final String ADMIN_KEY = "stream-tests-admin-key";
    static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    // bounded pools started on demand (Tomcat's workers, MVC's async pool, Reactor's timers), and the test's own
    private static final String GROWING_POOLS =
            "http-nio-.+-exec-\\d+|task-\\d+|parallel-\\d+|boundedElastic-.+|live-writer-\\d+|HttpClient-\\d+-.+|awaitility-thread";

    @LocalServerPort
    private int port;

    @Autowired
    private EventStoreWriter events;

    @Autowired
    private QueryUpdateEmitter updateEmitter;

    @Autowired
    private ReadModels readModels;

    private String prefix;

    @BeforeEach
    void setUp() {
        prefix = "s-" + UUID.randomUUID() + "-";
    }

    /**
     * A fixed, small send buffer: left to the kernel, a loopback socket's buffer grows to megabytes and holds
     * everything a slow client has not read, so the stream would never fall behind on some machines.
     */
    @TestConfiguration
    static class SmallSendBuffers {
        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> smallSendBuffers() {
            return factory ->
                    factory.addConnectorCustomizers(connector -> connector.setProperty("socket.txBufSize", "4096"));
        }
    }

    @Test
    void everyVersionArrivesOnceAndInOrderUnderAThousandConcurrentIncrements() throws Exception {
        String hot = prefix + "hot";
        try (SseClient one = SseClient.connect(url("/api/counters/" + hot + "/stream"))) {
            Map<String, Long> appended = appendConcurrently(events, List.of(hot, prefix + "a"), 1_000);

            List<Long> hotVersions = versions(one, hot, appended.get(hot));

            assertThat(one.contentType()).startsWith("text/event-stream");
            assertThat(hotVersions).containsExactlyElementsOf(oneTo(appended.get(hot)));
        }
    }

    @Test
    void aStreamStartsWithTheCurrentStateThenFollows() {
        String counter = prefix + "current";
        events.increment(counter, 5);
        events.increment(counter, 2);
        await().until(() -> http("/api/counters/" + counter).contains("\"version\":2"));

        try (SseClient stream = SseClient.connect(url("/api/counters/" + counter + "/stream"))) {
            Event current = stream.next(PATIENCE);
            events.increment(counter, 1);
            Event next = stream.next(PATIENCE);

            assertThat(current.id()).isEqualTo("2");
            assertThat(current.event()).isEqualTo("counter");
            assertThat(json(current.data()).get("value").asLong()).isEqualTo(7);
            assertThat(json(current.data()).get("counterId").asText()).isEqualTo(counter);
            assertThat(next.id()).isEqualTo("3");
            assertThat(json(next.data()).get("value").asLong()).isEqualTo(8);
        }
    }

    @Test
    void aCounterWithoutAStateWhenItsStreamBeganIsStreamedFromVersionOneWhateverVersionIsAnnouncedFirst() {
        String counter = prefix + "announced";
        StreamingEventProcessor live =
                readModels.liveProcessor("counter-summary").orElseThrow();
        live.shutdownAsync().join(); // the live version neither stores nor announces what follows
        try (SseClient stream = SseClient.connect(url("/api/counters/" + counter + "/stream"))) {
            await().atMost(PATIENCE).until(() -> stream.comments() >= 1); // the stream is open, its state read
            events.increment(counter, 5);
            events.increment(counter, 2);

            // as a new version of the read model announces the counters it is ahead on when it takes over
            updateEmitter.emit(
                    FindCounter.class,
                    query -> query.counterId().equals(counter),
                    new CounterView(counter, 7, 2, Instant.now()));

            assertThat(versions(stream, counter, 2)).containsExactly(1L, 2L);
        } finally {
            live.start();
        }
    }

    @Test
    void lastEventIdResumesWithTheVersionsAfterItThenFollows() {
        String counter = prefix + "resume";
        for (int i = 0; i < 10; i++) {
            events.increment(counter, 1);
        }
        await().until(() -> http("/api/counters/" + counter).contains("\"version\":10"));

        try (SseClient stream = SseClient.connect(url("/api/counters/" + counter + "/stream"), "Last-Event-ID", "4")) {
            List<Long> resumed = versions(stream, counter, 10);
            events.increment(counter, 1);

            assertThat(resumed).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(stream.next(PATIENCE).id()).isEqualTo("11");
        }
    }

    @Test
    void aClientThatFallsBehindItsBufferStillGetsEveryVersion() throws Exception {
        String counter = prefix + "slow";
        double resumesBefore = resumes();
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(1024);
            slow.connect(new InetSocketAddress("localhost", port));
            slow.getOutputStream()
                    .write(("GET /api/counters/" + counter + "/stream HTTP/1.1\r\nHost: localhost\r\n"
                                    + "Accept: text/event-stream\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            await().until(() -> http("/actuator/metrics/counter.live.streams").contains("\"value\":1.0"));

            // the client reads nothing until all 2,000 states were pushed at it, far more than the buffers hold
            appendConcurrently(events, List.of(counter), 2_000);
            await().atMost(PATIENCE)
                    .until(() -> http("/api/counters/" + counter).contains("\"version\":2000"));

            List<Long> ids = new ArrayList<>();
            BufferedReader lines =
                    new BufferedReader(new InputStreamReader(slow.getInputStream(), StandardCharsets.UTF_8));
            slow.setSoTimeout((int) PATIENCE.toMillis());
            while (ids.isEmpty() || ids.get(ids.size() - 1) < 2_000) {
                String line = lines.readLine();
                if (line.startsWith("id:")) {
                    ids.add(Long.parseLong(line.substring(3).strip()));
                }
            }
            assertThat(ids).containsExactlyElementsOf(oneTo(2_000));
            // the overflow surfaces once the client reads what its buffer held, so the resume is counted by now
            assertThat(resumes()).isGreaterThan(resumesBefore);
        }
    }

    @Test
    void heartbeatsKeepAnIdleStreamAlive() {
        try (SseClient stream = SseClient.connect(url("/api/counters/" + prefix + "idle/stream"))) {
            await().atMost(PATIENCE).until(() -> stream.comments() >= 2);
        }
    }

    @Test
    void departedClientsLeaveNoSubscriptionOrThreadBehind() {
        SimpleQueryUpdateEmitter emitter = (SimpleQueryUpdateEmitter) updateEmitter;
        String counter = prefix + "churn";
        events.increment(counter, 1);
        await().until(() -> http("/api/counters/" + counter).contains("\"version\":1"));
        int subscriptionsBefore = emitter.activeSubscriptions().size();
        List<String> threadsBefore = threadsOutsideTheWebServersPool();

        for (int i = 0; i < 300; i++) {
            String path = i % 2 == 0 ? "/api/counters/" + counter + "/stream" : "/api/stream";
            try (SseClient stream = SseClient.connect(url(path))) {
                assertThat(stream.next(PATIENCE)).isNotNull();
            }
        }

        await().atMost(PATIENCE).until(() -> emitter.activeSubscriptions().size() <= subscriptionsBefore);
        await().atMost(PATIENCE)
                .until(() -> http("/actuator/metrics/counter.live.streams").contains("\"value\":0.0"));
        // nothing but the pools that grow with 300 connections may grow
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(threadsOutsideTheWebServersPool())
                        .as("threads before: %s", threadsBefore)
                        .hasSizeLessThanOrEqualTo(threadsBefore.size()));
    }

    @Test
    void anUnreadableLastEventIdIs400() {
        try (SseClient stream = SseClient.connect(url("/api/counters/x/stream"), "Last-Event-ID", "abc")) {
            assertThat(stream.status()).isEqualTo(400);
        }
    }

    @Test
    void aLastEventIdOfNineteenDigitsBeyondAnyVersionWaitsForNone() {
        String counter = prefix + "beyond";
        events.increment(counter, 1);
        await().until(() -> http("/api/counters/" + counter).contains("\"version\":1"));

        try (SseClient stream = SseClient.connect(
                url("/api/counters/" + counter + "/stream"), "Last-Event-ID", "9999999999999999999")) {
            events.increment(counter, 1);
            await().until(() -> http("/api/counters/" + counter).contains("\"version\":2"));
            int heartbeats = stream.comments();
            // a heartbeat sent after version 2 was announced: had the stream sent it, it would be here by now
            await().atMost(PATIENCE).until(() -> stream.comments() > heartbeats);

            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.next(Duration.ZERO)).isNull();
        }
    }

    /** Appends {@code total} increments from 8 threads, half of them to the first counter; returns each one's last. */
    static Map<String, Long> appendConcurrently(EventStoreWriter events, List<String> counters, int total)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Map<String, Long> perCounter = new HashMap<>();
        for (int i = 0; i < total; i++) {
            // half of them on the first (hot) counter
            String counter = i % 2 == 0 || counters.size() == 1
                    ? counters.get(0)
                    : counters.get(1 + (i / 2) % (counters.size() - 1));
            perCounter.merge(counter, 1L, Long::sum);
            pool.execute(() -> events.increment(counter, 1));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
        return perCounter;
    }

    /** Reads one counter's versions until {@code last} has arrived. */
    private static List<Long> versions(SseClient stream, String counter, long last) {
        List<Long> versions = new ArrayList<>();
        while (versions.isEmpty() || versions.get(versions.size() - 1) < last) {
            Event event = stream.next(PATIENCE);
            assertThat(event).as("a message after " + versions).isNotNull();
            if (json(event.data()).get("counterId").asText().equals(counter)) {
                assertThat(event.id())
                        .isEqualTo(json(event.data()).get("version").asText());
                versions.add(Long.parseLong(event.id()));
            }
        }
        return versions;
    }

    /** Reads the all-counters stream until every counter has reached its last version. */
    static Map<String, List<Long>> versionsPerCounter(SseClient stream, Map<String, Long> last) {
        Map<String, List<Long>> versions = new HashMap<>();
        last.keySet().forEach(counter -> versions.put(counter, new ArrayList<>()));
        while (last.entrySet().stream().anyMatch(e -> !versions.get(e.getKey()).contains(e.getValue()))) {
            Event event = stream.next(PATIENCE);
            assertThat(event).as("a message after " + versions).isNotNull();
            String counter = json(event.data()).get("counterId").asText();
            if (versions.containsKey(counter)) {
                versions.get(counter).add(Long.parseLong(event.id()));
            }
        }
        return versions;
    }

    private double resumes() {
        String metric = http("/actuator/metrics/counter.live.resumes");
        return json(metric).get("measurements").get(0).get("value").asDouble();
    }

    static List<Long> oneTo(long last) {
        return LongStream.rangeClosed(1, last).boxed().toList();
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private String http(String path) {
        // the key opens the actuator's metrics; the streams and reads need none
        return new io.counterplatform.testsupport.Http("http://localhost:" + port, "X-Api-Key", ADMIN_KEY)
                .get(path)
                .body();
    }

    static JsonNode json(String data) {
        try {
            return MAPPER.readTree(data);
        } catch (IOException e) {
            throw new UncheckedIOException(data, e);
        }
    }

    private static List<String> threadsOutsideTheWebServersPool() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(name -> !name.matches(GROWING_POOLS))
                .sorted()
                .toList();
    }
}
