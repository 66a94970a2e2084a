package io.counterplatform.query.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.counterplatform.query.IntegrationTest;
import io.counterplatform.testsupport.SseClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * Open live streams are bounded per client (429), {@code minVersion} waits per client apart from them (503), and
 * both together per instance (503); a closed stream frees its place.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "counter.live.max-streams=4",
            "counter.live.max-streams-per-client=3",
            "counter.live.max-waits-per-client=1",
            "counter.live.retry-after=7s",
            "counter.live.heartbeat=100ms",
            "counter.security.client-keys.alice=alice-key",
            "counter.security.client-keys.bob=bob-key"
        })
class StreamLimitsIT {

    @LocalServerPort
    private int port;

    @Autowired
    private MeterRegistry meters;

    private final List<SseClient> open = new ArrayList<>();

    @AfterEach
    void hangUp() {
        open.forEach(SseClient::close);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> meters.get("counter.live.streams").gauge().value() == 0);
    }

    @Test
    void aClientOverItsLimitGets429AndAnInstanceOverItsLimit503BothWithRetryAfter() {
        for (int i = 0; i < 3; i++) {
            assertThat(connect().status()).isEqualTo(200);
        }
        SseClient fourth = connect();
        assertThat(fourth.status()).isEqualTo(429);
        assertThat(fourth.header("Retry-After")).isEqualTo("7");
        assertThat(fourth.contentType()).startsWith("application/problem+json");
        assertThat(fourth.refusal()).contains("\"status\":429").contains("live streams open");

        // a client by key counts apart from the address the anonymous streams came from
        assertThat(connect("X-Api-Key", "alice-key").status()).isEqualTo(200);
        SseClient overTheInstance = connect("X-Api-Key", "bob-key");
        assertThat(overTheInstance.status()).isEqualTo(503);
        assertThat(overTheInstance.header("Retry-After")).isEqualTo("7");
        assertThat(overTheInstance.contentType()).startsWith("application/problem+json");
    }

    @Test
    void minVersionWaitsHaveACapPerClientApartFromItsStreamsAnswered503AndTakeInstancePlaces() throws Exception {
        CompletableFuture<HttpResponse<String>> waiting = waitFor("alice-key");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> meters.get("counter.live.streams").gauge().value() == 1);

        // over her cap on waits, alice is told what the contract tells a wait: 503, with Retry-After
        HttpResponse<String> second = waitFor("alice-key").get(20, TimeUnit.SECONDS);
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(second.body()).contains("minVersion waits open");
        // her wait is not one of her streams, but it is one of the instance's places
        for (int i = 0; i < 3; i++) {
            assertThat(connect("X-Api-Key", "alice-key").status()).isEqualTo(200);
        }
        assertThat(connect("X-Api-Key", "bob-key").status()).isEqualTo(503);
        HttpResponse<String> answer = waiting.get(20, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.body()).contains("version-not-reached-yet");
        // the wait that ended gave its places back, the client's and the instance's
        HttpResponse<String> again = waitFor("alice-key").get(20, TimeUnit.SECONDS);
        assertThat(again.body()).contains("version-not-reached-yet");
    }

    @Test
    void aClosedStreamFreesItsPlace() {
        for (int i = 0; i < 3; i++) {
            assertThat(connect().status()).isEqualTo(200);
        }
        open.remove(0).close();
        // the server learns of the hang-up at its next write (a heartbeat)
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            SseClient again = connect();
            return again.status() == 200;
        });
        assertThat(connect().status()).isEqualTo(429);
    }

    @Test
    void aHeadIsRefusedAndTakesNoPlace() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 5; i++) {
            HttpResponse<Void> head = client.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/stream"))
                            .method("HEAD", HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(head.statusCode()).isEqualTo(405);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(connect().status()).isEqualTo(200);
        }
    }

    private CompletableFuture<HttpResponse<String>> waitFor(String key) {
        return HttpClient.newHttpClient()
                .sendAsync(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port
                                        + "/api/counters/never-reached?minVersion=5&waitMillis=5000"))
                                .header("X-Api-Key", key)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private SseClient connect(String... headers) {
        SseClient stream = SseClient.connect("http://localhost:" + port + "/api/stream", headers);
        open.add(stream);
        return stream;
    }
}
