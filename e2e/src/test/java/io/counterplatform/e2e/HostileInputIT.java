package io.counterplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.counterplatform.testsupport.ApiContract;
import io.counterplatform.testsupport.Http;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile requests against every endpoint of both services, sent byte for byte over a socket: each row says the
 * status and problem type it must get, and no row may change anything (events, subscriptions, rebuilds) or answer
 * {@code 5xx}. Webhook targets are vetted for real: private targets are not allowed here.
 */
class HostileInputIT {

    private static final String PROBLEM = "urn:counter-platform:problem:";
    private static final String ALICE = "alice-key";
    private static final String BOB = "bob-key";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, String> fixtures = new HashMap<>();
    private static Platform platform;

    @BeforeAll
    static void start() throws Exception {
        platform = new Platform(
                        "COUNTER_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "false",
                        "COUNTER_WEBHOOKS_MAX_SUBSCRIPTIONS_PER_KEY", "2",
                        "SPRING_APPLICATION_JSON",
                                "{\"counter\":{\"security\":{\"client-keys\":{\"alice\":\"" + ALICE + "\",\"bob\":\""
                                        + BOB + "\"}}}}")
                .start();
        Http commands = platform.commands();
        assertThat(commands.post(
                                "/api/counters/seed/increments",
                                "application/json",
                                "{\"amount\":1}",
                                "Idempotency-Key",
                                "first")
                        .status())
                .isEqualTo(200);
        assertThat(commands.post(
                                "/api/counters/big/increments",
                                "application/json",
                                "{\"amount\":" + Long.MAX_VALUE + "}")
                        .status())
                .isEqualTo(200);
        // bob's subscriptions: a public address literal (no lookup), for a counter that never changes
        Http bob = Http.querySide(platform.queries().baseUrl(), "X-Api-Key", BOB);
        for (String name : List.of("bobs", "bobs2")) {
            Http.Response created = bob.post(
                    "/api/subscriptions",
                    "application/json",
                    "{\"callbackUrl\":\"http://1.1.1.1/hook\"," + "\"counterId\":\"quiet\"}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            fixtures.put(name, MAPPER.readTree(created.body()).get("id").asText());
        }
        await().atMost(Duration.ofMinutes(1))
                .until(() -> platform.queries().get("/api/counters/big").status() == 200
                        && platform.queries().get("/api/counters/seed").status() == 200);
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void isRefusedAndChangesNothing(Row row) throws Exception {
        String before = state();

        RawHttp.Response response = RawHttp.exchange(
                row.side() == Side.COMMANDS ? port(platform.commands()) : port(platform.queries()),
                row.request(fixtures));

        assertThat(response.status()).as(response.body()).isEqualTo(row.status());
        row.request.holdTo(
                row.side() == Side.COMMANDS ? ApiContract.COMMAND_SIDE : ApiContract.QUERY_SIDE, fixtures, response);
        if (row.type() != null) {
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            JsonNode problem = MAPPER.readTree(response.body());
            assertThat(problem.path("type").asText()).isEqualTo(PROBLEM + row.type());
            assertThat(problem.path("status").asInt()).isEqualTo(row.status());
            assertThat(problem.path("detail").asText()).isNotBlank();
        }
        assertThat(response.body())
                .doesNotContainIgnoringCase("exception")
                .doesNotContain("io.counterplatform")
                .doesNotContain("springframework")
                .doesNotContain("jackson")
                // Spring's own wording of its errors
                .doesNotContain("is not supported")
                .doesNotContain("Acceptable representations")
                .doesNotContain("127.0.0.1");
        assertThat(state()).as("the state after the request").isEqualTo(before);
    }

    static Stream<Row> rows() {
        List<Row> rows = new ArrayList<>();
        String increments = "/api/counters/a/increments";
        // paths taken exactly as sent
        for (String path : List.of(
                "/api/counters/a;drop/increments",
                "/api/counters/a;/increments",
                "/api/counters/a%3Bdrop/increments",
                "/api/counters/a%2Fb/increments",
                "/api/counters/a%2fb/increments",
                "/api/counters/a%5Cb/increments",
                "/api/counters/a%25b/increments",
                "/api/counters/x/../a/increments",
                "/api/counters/x/%2E%2E/a/increments",
                "/api/counters/a%00/increments",
                "/api/counters/a%0A/increments",
                "/api/counters/a%0D/increments",
                "/api/counters//a/increments",
                "//increment",
                "/increment;jsessionid=1")) {
            rows.add(post(Side.COMMANDS, path).json("{\"amount\":1}").expect(400, "rejected-path"));
        }
        // ids
        for (String id : List.of("-a", "_a", "a%09", "%20", "%C3%A9", "a".repeat(65), "a%20b", "a%7Bb%7D")) {
            rows.add(post(Side.COMMANDS, "/api/counters/" + id + "/increments")
                    .json("{\"amount\":1}")
                    .expect(400, "invalid-input"));
        }
        // amounts and bodies
        for (String body : List.of("{\"amount\":0}", "{\"amount\":-1}", "{\"amount\":-9223372036854775808}")) {
            rows.add(post(Side.COMMANDS, increments).json(body).expect(400, "invalid-input"));
        }
        for (String body : List.of(
                "{\"amount\":1.5}",
                "{\"amount\":1.0}",
                "{\"amount\":1e2}",
                "{\"amount\":\"1\"}",
                "{\"amount\":9223372036854775808}",
                "{\"amount\":true}",
                "{\"amount\":[1]}",
                "{\"amount\":{}}",
                "{\"amount\":1,\"amount\":2}",
                "{\"amount\":1,\"x\":1}",
                "{\"amount\":1}{\"amount\":2}",
                "[]",
                "\"1\"",
                "1",
                "nonsense",
                "{\"amount\":1",
                "{\"amount\":NaN}",
                "{'amount':1}")) {
            rows.add(post(Side.COMMANDS, increments).json(body).expect(400, "malformed-body"));
        }
        rows.add(post(Side.COMMANDS, increments)
                .body("text/plain", "{\"amount\":1}")
                .expect(415, "unsupported-media-type"));
        rows.add(post(Side.COMMANDS, increments)
                .body("application/xml", "<amount>1</amount>")
                .expect(415, "unsupported-media-type"));
        // a content type that is not JSON, with no body to read: an invalid request, not an unsupported body
        rows.add(post(Side.COMMANDS, increments)
                .body("application/x-www-form-urlencoded", "")
                .expect(400, "invalid-input"));
        rows.add(post(Side.COMMANDS, increments).body("text/plain", "").expect(400, "invalid-input"));
        rows.add(post(Side.COMMANDS, increments)
                .body("application/x-www-form-urlencoded", "amount=1")
                .expect(415, "unsupported-media-type"));
        rows.add(post(Side.COMMANDS, increments)
                .json("{\"amount\":1" + " ".repeat(70_000) + "}")
                .expect(413, "payload-too-large"));
        rows.add(post(Side.COMMANDS, increments)
                .json("{\"amount\":1" + " ".repeat(70_000) + "}")
                .chunked()
                .expect(413, "payload-too-large"));
        rows.add(post(Side.COMMANDS, increments)
                .json("{\"amount\":1}")
                .header("Accept", "application/xml")
                .expect(406, "not-acceptable"));
        // headers
        for (String key : List.of("", " ", "k".repeat(129), "caf\u00e9", "a\tb")) {
            rows.add(post(Side.COMMANDS, increments)
                    .json("{\"amount\":1}")
                    .header("Idempotency-Key", key)
                    .expect(400, "invalid-input"));
        }
        for (String ifMatch : List.of("abc", "\"abc\"", "\"-1\"", "\"99999999999999999999\"", "W/\"")) {
            rows.add(post(Side.COMMANDS, increments)
                    .json("{\"amount\":1}")
                    .header("If-Match", ifMatch)
                    .expect(400, "invalid-input"));
        }
        rows.add(post(Side.COMMANDS, "/api/counters/seed/increments")
                .json("{\"amount\":1}")
                .header("If-Match", "\"7\"")
                .expect(412, "version-mismatch"));
        rows.add(post(Side.COMMANDS, "/api/counters/seed/increments")
                .json("{\"amount\":2}")
                .header("Idempotency-Key", "first")
                .expect(422, "idempotency-key-reused"));
        rows.add(post(Side.COMMANDS, "/api/counters/big/increments")
                .json("{\"amount\":1}")
                .expect(409, "overflow"));
        rows.add(post(Side.COMMANDS, increments)
                .json("{\"amount\":1}")
                .header("X-Api-Key", "guess")
                .expect(401, "unauthorized"));
        rows.add(post(Side.COMMANDS, increments)
                .json("{\"amount\":1}")
                .header("X-Api-Key", "")
                .expect(401, "unauthorized"));
        rows.add(post(Side.COMMANDS, increments)
                .json("{\"amount\":1}")
                .header("X-Padding", "p".repeat(20_000))
                .expect(400, "bad-request"));
        rows.add(raw(
                        Side.COMMANDS,
                        "POST " + increments + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{\"amount\":1}\r\n0\r\n\r\n")
                .expect(400, "bad-request"));
        rows.add(raw(
                        Side.COMMANDS,
                        "POST " + increments + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n"
                                + "Connection: close\r\n\r\n")
                .expect(400, "bad-request"));
        rows.add(raw(Side.COMMANDS, "POST /api/counters/a b/increments HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .expect(400, "bad-request"));
        rows.add(raw(
                        Side.COMMANDS,
                        "POST " + increments
                                + " HTTP/1.1\r\nHost: localhost\r\nX-Evil: a\rb\r\nConnection: close\r\n\r\n")
                .expect(400, "bad-request"));
        rows.add(raw(
                        Side.COMMANDS,
                        "POST " + increments + " HTTP/1.1\r\nHost: localhost\r\nIdempotency-Key: a\u0085b\r\n"
                                + "Connection: close\r\n\r\n")
                .expect(400, "rejected-request"));
        rows.add(request(Side.COMMANDS, "PUT", "/increment")
                .body("application/x-www-form-urlencoded", "amount=" + "1".repeat(70_000))
                .chunked()
                .expect(413, "payload-too-large"));
        rows.add(post(Side.COMMANDS, increments)
                .body(
                        "multipart/form-data; boundary=b",
                        "--b\r\nContent-Disposition: form-data; name=\"amount\"\r\n\r\n1\r\n--b--\r\n")
                .expect(415, "unsupported-media-type"));
        // methods and paths that do not exist
        rows.add(get(Side.COMMANDS, increments).expect(405, "method-not-allowed"));
        rows.add(request(Side.COMMANDS, "PUT", "/increment").expect(405, "method-not-allowed"));
        rows.add(request(Side.COMMANDS, "DELETE", increments).expect(405, "method-not-allowed"));
        rows.add(post(Side.COMMANDS, "/api/nothing").json("{}").expect(404, "not-found"));
        rows.add(get(Side.COMMANDS, "/error").expect(404, "not-found"));
        rows.add(post(Side.COMMANDS, increments + "/").json("{\"amount\":1}").expect(404, "not-found"));
        // operations need the admin key
        rows.add(get(Side.COMMANDS, "/actuator/prometheus").expect(401, "unauthorized"));
        rows.add(get(Side.COMMANDS, "/actuator/metrics")
                .header("X-Api-Key", "guess")
                .expect(401, "unauthorized"));
        rows.add(get(Side.COMMANDS, "/actuator/prometheus")
                .header("X-Api-Key", ALICE)
                .expect(401, "unauthorized"));
        rows.add(get(Side.COMMANDS, "/actuator/env").expect(401, "unauthorized"));
        rows.add(get(Side.COMMANDS, "/actuator/health/..;/env").expect(400, "rejected-path"));

        // query side: reads
        for (String path : List.of(
                "/api/counters/seed;x",
                "/api/counters/seed%3B",
                "/api/counters/a%2Fb",
                "/api/counters/seed%00",
                "/api/counters/./seed",
                "/api/counters/seed/events;x",
                "/dashboard/config;x",
                "//")) {
            rows.add(get(Side.QUERIES, path).expect(400, "rejected-path"));
        }
        rows.add(get(Side.QUERIES, "/api/counters/-bad").expect(400, "invalid-input"));
        rows.add(get(Side.QUERIES, "/api/counters/" + "a".repeat(65)).expect(400, "invalid-input"));
        for (String query : List.of(
                "minVersion=-1",
                "minVersion=abc",
                "waitMillis=30001",
                "waitMillis=-1",
                "waitMillis=abc",
                "minVersion=1&waitMillis=99999999999",
                "at=yesterday",
                "at=2026-13-01T00:00:00Z",
                "at=2026-01-01T00:00:00Z&minVersion=1",
                "minVersion=0x5",
                "at=1767225600000",
                "at=Thu,%2001%20Jan%202026%2000:00:00%20GMT")) {
            rows.add(get(Side.QUERIES, "/api/counters/seed?" + query).expect(400, "invalid-input"));
        }
        for (String query : List.of(
                "page=-1",
                "page=abc",
                "page=1000001",
                "page=0x10",
                "size=0",
                "size=501",
                "size=99999999999",
                "size=1.5",
                "size=%2310")) {
            rows.add(get(Side.QUERIES, "/api/counters?" + query).expect(400, "invalid-input"));
        }
        for (String query :
                List.of("fromVersion=0", "fromVersion=abc", "limit=0", "limit=1001", "limit=-5", "limit=0x10")) {
            rows.add(get(Side.QUERIES, "/api/counters/seed/events?" + query).expect(400, "invalid-input"));
        }
        for (String query : List.of(
                "",
                "?interval=week",
                "?interval=minute&from=yesterday",
                "?interval=day&from=2000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
                "?interval=hour&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
                "?interval=hour&to=%2B999999999-12-31T23:59:59Z",
                "?interval=hour&from=1767225600000")) {
            rows.add(get(Side.QUERIES, "/api/counters/seed/series" + query).expect(400, "invalid-input"));
        }
        rows.add(get(Side.QUERIES, "/api/counters/nobody").expect(404, "not-found"));
        for (String lastEventId : List.of("abc", "-5", "+5", "99999999999999999999", "1.5")) {
            rows.add(get(Side.QUERIES, "/api/counters/seed/stream")
                    .header("Accept", "text/event-stream")
                    .header("Last-Event-ID", lastEventId)
                    .expect(400, "invalid-input"));
        }
        rows.add(get(Side.QUERIES, "/api/stream")
                .header("Accept", "application/json")
                .expect(406, "not-acceptable"));
        // a HEAD's body goes nowhere: a stream opened by one would never notice its client leave
        rows.add(request(Side.QUERIES, "HEAD", "/api/stream").expect(405, null));
        rows.add(request(Side.QUERIES, "HEAD", "/api/counters/seed/stream").expect(405, null));
        rows.add(get(Side.QUERIES, "/error").expect(404, "not-found"));
        rows.add(request(Side.QUERIES, "POST", "/api/counters/seed").expect(405, "method-not-allowed"));

        // query side: subscriptions belong to their key
        String subscribe = "/api/subscriptions";
        rows.add(post(Side.QUERIES, subscribe)
                .json("{\"callbackUrl\":\"http://1.1.1.1/hook\"}")
                .expect(401, "unauthorized"));
        rows.add(post(Side.QUERIES, subscribe)
                .json("{\"callbackUrl\":\"http://1.1.1.1/hook\"}")
                .header("X-Api-Key", "guess")
                .expect(401, "unauthorized"));
        rows.add(post(Side.QUERIES, subscribe)
                .json("{\"callbackUrl\":\"http://1.1.1.1/hook\",\"counterId\":\"quiet\"}")
                .header("X-Api-Key", BOB)
                .expect(429, "too-many-requests"));
        for (String url : List.of(
                "http://127.0.0.1/hook",
                "http://localhost/hook",
                "http://[::1]/hook",
                "http://0.0.0.0/hook",
                "http://10.0.0.1/hook",
                "http://192.168.1.1/hook",
                "http://169.254.169.254/latest/meta-data",
                "http://100.64.0.1/hook",
                "http://224.0.0.1/hook",
                "http://[::ffff:127.0.0.1]/hook",
                "http://[64:ff9b::7f00:1]/hook",
                "http://[2002:7f00:1::1]/hook",
                "http://[::127.0.0.1]/hook",
                "http://[fe80::1]/hook",
                "http://[fd00::1]/hook",
                "http://2130706433/hook",
                "http://0x7f000001/hook",
                "http://017700000001/hook",
                "http://0177.0.0.1/hook",
                "http://name.invalid/hook",
                "http://127.1/hook",
                "ftp://1.1.1.1/hook",
                "file:///etc/passwd",
                "gopher://1.1.1.1/hook",
                "javascript:alert(1)",
                "http:///hook",
                "http://user:secret@1.1.1.1/hook",
                "http://1.1.1.1/" + "x".repeat(3_000),
                "not a url",
                "")) {
            rows.add(post(Side.QUERIES, subscribe)
                    .json("{\"callbackUrl\":\"" + url + "\"}")
                    .header("X-Api-Key", ALICE)
                    .expect(400, "invalid-input"));
        }
        rows.add(post(Side.QUERIES, subscribe)
                .json("{\"callbackUrl\":\"http://1.1.1.1/hook\",\"counterId\":\"-bad\"}")
                .header("X-Api-Key", ALICE)
                .expect(400, "invalid-input"));
        rows.add(post(Side.QUERIES, subscribe)
                .json("{\"callbackUrl\":\"http://1.1.1.1/hook\",\"secret\":\"\"}")
                .header("X-Api-Key", ALICE)
                .expect(400, "invalid-input"));
        rows.add(post(Side.QUERIES, subscribe)
                .json("{\"callbackUrl\":\"http://1.1.1.1/hook\",\"secret\":\"" + "s".repeat(257) + "\"}")
                .header("X-Api-Key", ALICE)
                .expect(400, "invalid-input"));
        rows.add(post(Side.QUERIES, subscribe)
                .json("{\"callbackUrl\":\"http://1.1.1.1/hook\",\"owner\":\"bob\"}")
                .header("X-Api-Key", ALICE)
                .expect(400, "malformed-body"));
        // a number is not a string, and a body is one JSON object with each field once
        for (String body : List.of(
                "{\"callbackUrl\":1}",
                "{\"callbackUrl\":\"http://1.1.1.1/hook\",\"counterId\":5}",
                "{\"callbackUrl\":\"http://1.1.1.1/hook\",\"counterId\":true}",
                "{\"callbackUrl\":\"http://1.1.1.1/hook\"} {}",
                "{\"callbackUrl\":\"http://1.1.1.1/hook\",\"callbackUrl\":\"http://1.1.1.1/other\"}")) {
            rows.add(post(Side.QUERIES, subscribe)
                    .json(body)
                    .header("X-Api-Key", ALICE)
                    .expect(400, "malformed-body"));
        }
        // a bad request is refused for what it is, before the key's subscriptions are counted (bob has his two)
        rows.add(post(Side.QUERIES, subscribe)
                .json("{\"callbackUrl\":\"http://1.1.1.1/hook\",\"counterId\":\"-bad\"}")
                .header("X-Api-Key", BOB)
                .expect(400, "invalid-input"));
        rows.add(post(Side.QUERIES, subscribe)
                .body("text/plain", "{\"callbackUrl\":\"http://1.1.1.1/hook\"}")
                .header("X-Api-Key", ALICE)
                .expect(415, "unsupported-media-type"));
        rows.add(post(Side.QUERIES, subscribe)
                .json("{\"callbackUrl\":\"http://1.1.1.1/" + "x".repeat(70_000) + "\"}")
                .header("X-Api-Key", ALICE)
                .expect(413, "payload-too-large"));
        String bobs = "/api/subscriptions/{bobs}";
        rows.add(get(Side.QUERIES, bobs).header("X-Api-Key", ALICE).expect(404, "not-found"));
        rows.add(
                request(Side.QUERIES, "DELETE", bobs).header("X-Api-Key", ALICE).expect(404, "not-found"));
        rows.add(request(Side.QUERIES, "DELETE", bobs).expect(401, "unauthorized"));
        rows.add(get(Side.QUERIES, bobs + "/dead-letters")
                .header("X-Api-Key", ALICE)
                .expect(404, "not-found"));
        rows.add(request(Side.QUERIES, "POST", bobs + "/dead-letters/redeliver")
                .header("X-Api-Key", ALICE)
                .expect(404, "not-found"));
        rows.add(request(Side.QUERIES, "POST", bobs + "/secret")
                .header("X-Api-Key", ALICE)
                .expect(404, "not-found"));
        rows.add(request(Side.QUERIES, "POST", bobs + "/secret").expect(401, "unauthorized"));
        rows.add(post(Side.QUERIES, subscribe)
                .json("{\"callbackUrl\":\"http://1.1.1.1/hook\",\"secret\":\"not-a-standard-webhooks-secret\"}")
                .header("X-Api-Key", ALICE)
                .expect(400, "invalid-input"));
        rows.add(get(Side.QUERIES, subscribe).expect(401, "unauthorized"));
        rows.add(get(Side.QUERIES, subscribe + "/not-a-uuid")
                .header("X-Api-Key", ALICE)
                .expect(400, "invalid-input"));
        rows.add(request(Side.QUERIES, "DELETE", subscribe + "/{bobs};x")
                .header("X-Api-Key", BOB)
                .expect(400, "rejected-path"));

        // query side: admin and operations
        String projections = "/api/admin/projections";
        rows.add(get(Side.QUERIES, projections).expect(401, "unauthorized"));
        rows.add(get(Side.QUERIES, projections).header("X-Api-Key", ALICE).expect(401, "unauthorized"));
        rows.add(get(Side.QUERIES, projections)
                .header("X-Api-Key", Platform.ADMIN_KEY + "x")
                .expect(401, "unauthorized"));
        rows.add(request(Side.QUERIES, "POST", projections + "/counter-summary/replay")
                .header("X-Api-Key", ALICE)
                .expect(401, "unauthorized"));
        rows.add(request(Side.QUERIES, "POST", projections + "/webhooks/replay")
                .header("X-Api-Key", Platform.ADMIN_KEY)
                .expect(409, "conflict"));
        rows.add(request(Side.QUERIES, "POST", projections + "/nothing/replay")
                .header("X-Api-Key", Platform.ADMIN_KEY)
                .expect(404, "not-found"));
        rows.add(request(Side.QUERIES, "POST", projections + "/counter-summary;x/replay")
                .header("X-Api-Key", Platform.ADMIN_KEY)
                .expect(400, "rejected-path"));
        rows.add(get(Side.QUERIES, "/actuator/prometheus").expect(401, "unauthorized"));
        rows.add(get(Side.QUERIES, "/actuator/prometheus")
                .header("X-Api-Key", BOB)
                .expect(401, "unauthorized"));
        return rows.stream();
    }

    // the rows' vocabulary

    enum Side {
        COMMANDS,
        QUERIES
    }

    /** One hostile request and the answer it must get; {@code type} null: a refusal by the HTTP server itself. */
    record Row(String name, Side side, Request request, int status, String type) {

        byte[] request(Map<String, String> fixtures) {
            return request.bytes(fixtures);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static Request post(Side side, String path) {
        return request(side, "POST", path);
    }

    private static Request get(Side side, String path) {
        return request(side, "GET", path);
    }

    private static Request request(Side side, String method, String path) {
        return new Request(side, method + " " + path + " HTTP/1.1");
    }

    private static Request raw(Side side, String wholeRequest) {
        Request request = new Request(side, null);
        request.raw = wholeRequest;
        return request;
    }

    static final class Request {
        private final Side side;
        private final String requestLine;
        private final List<String> headers = new ArrayList<>();
        private String body;
        private boolean chunked;
        private String raw;

        Request(Side side, String requestLine) {
            this.side = side;
            this.requestLine = requestLine;
        }

        Request header(String name, String value) {
            headers.add(name + ": " + value);
            return this;
        }

        Request json(String json) {
            return body("application/json", json);
        }

        Request body(String contentType, String content) {
            body = content;
            return header("Content-Type", contentType);
        }

        Request chunked() {
            chunked = true;
            return this;
        }

        Row expect(int status, String type) {
            String shown = raw != null ? raw.lines().findFirst().orElse("") + " (raw)" : requestLine;
            String sent = shown + " " + String.join(" ", headers) + (body == null ? "" : " " + body)
                    + (chunked ? " chunked" : "");
            return new Row(
                    side + " " + (sent.length() > 140 ? sent.substring(0, 140) + "..." : sent),
                    side,
                    this,
                    status,
                    type);
        }

        /** The answer must be one the service's document describes, where the request names one of its operations. */
        void holdTo(ApiContract contract, Map<String, String> fixtures, RawHttp.Response response) {
            if (raw != null) {
                return;
            }
            String[] line = withFixtures(fixtures).split(" ");
            URI uri;
            try {
                uri = URI.create("http://localhost" + line[1]);
            } catch (IllegalArgumentException noClientCouldSendIt) {
                return;
            }
            Map<String, List<String>> sent = new HashMap<>();
            headers.forEach(
                    header -> sent.computeIfAbsent(header.substring(0, header.indexOf(':')), name -> new ArrayList<>())
                            .add(header.substring(header.indexOf(':') + 1).strip()));
            Map<String, List<String>> answered = new HashMap<>();
            response.headers().forEach((name, value) -> answered.put(name, List.of(value)));
            contract.check(
                    line[0],
                    uri,
                    HttpHeaders.of(sent, (name, value) -> true),
                    body,
                    new Http.Response(
                            response.status(), HttpHeaders.of(answered, (name, value) -> true), response.body()));
        }

        private String withFixtures(Map<String, String> fixtures) {
            String line = requestLine;
            for (Map.Entry<String, String> fixture : fixtures.entrySet()) {
                line = line.replace("{" + fixture.getKey() + "}", fixture.getValue());
            }
            return line;
        }

        byte[] bytes(Map<String, String> fixtures) {
            if (raw != null) {
                return raw.getBytes(StandardCharsets.ISO_8859_1);
            }
            String line = withFixtures(fixtures);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            StringBuilder head = new StringBuilder(line).append("\r\nHost: localhost\r\nConnection: close\r\n");
            headers.forEach(header -> head.append(header).append("\r\n"));
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (chunked) {
                head.append("Transfer-Encoding: chunked\r\n");
            } else if (body != null) {
                head.append("Content-Length: ").append(content.length).append("\r\n");
            }
            head.append("\r\n");
            // header values go out as UTF-8 bytes, as a careless client would send them
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            if (chunked) {
                out.writeBytes((Integer.toHexString(content.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(content);
                out.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                out.writeBytes(content);
            }
            return out.toByteArray();
        }
    }

    // the state no row may change

    private static String state() throws SQLException {
        try (Connection connection = platform.database();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT"
                        + " (SELECT count(*) || ':' || coalesce(max(globalIndex), 0) FROM DomainEventEntry)"
                        + " || ' ' || (SELECT count(*) || ':' || coalesce(md5(string_agg(id::text || callback_url"
                        + " || coalesce(counter_id, '') || owner || secret, ',' ORDER BY id)), '')"
                        + " FROM webhook_subscription)"
                        + " || ' ' || (SELECT live || ':' || coalesce(building, 0) FROM read_model WHERE name = 'counter-summary')"
                        + " || ' ' || (SELECT count(*) FROM webhook_hold)")) {
            row.next();
            return row.getString(1);
        }
    }

    private static int port(Http service) {
        return java.net.URI.create(service.baseUrl()).getPort();
    }
}
