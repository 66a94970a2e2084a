package io.counterplatform.query.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.counterplatform.query.IntegrationTest;
import io.counterplatform.testsupport.Http;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/** An instance with client keys and no admin key: its admin API answers {@code 401} to everyone, as promised. */
@IntegrationTest
@TestPropertySource(properties = "counter.security.client-keys.alice=" + WithoutAdminKeyIT.CLIENT_KEY)
class WithoutAdminKeyIT {

    static final String CLIENT_KEY = "without-admin-key-client";

    @LocalServerPort
    private int port;

    @Test
    void aClientKeyIsRefusedLikeNoKey() {
        Http http = Http.querySide("http://localhost:" + port);
        String[][] callers = {{}, {"X-Api-Key", CLIENT_KEY}, {"X-Api-Key", CLIENT_KEY + "x"}};
        for (String[] caller : callers) {
            assertUnauthorized(http.get("/api/admin/projections", caller));
            assertUnauthorized(http.post("/api/admin/projections/counter-summary/replay", null, null, caller));
        }
        // outside the API document, so without its checks
        assertUnauthorized(new Http(http.baseUrl()).get("/actuator/prometheus", "X-Api-Key", CLIENT_KEY));
        // the client key itself is good where a client key is enough
        assertThat(http.get("/api/subscriptions", "X-Api-Key", CLIENT_KEY).status())
                .isEqualTo(200);
    }

    private static void assertUnauthorized(Http.Response response) {
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        assertThat(response.body()).contains("\"type\":\"urn:counter-platform:problem:unauthorized\"");
        assertThat(response.header("WWW-Authenticate")).isPresent();
    }
}
