package io.counterplatform.command.counter;

import static org.assertj.core.api.Assertions.assertThat;

import io.counterplatform.api.counter.CounterIncremented;
import io.counterplatform.command.IntegrationTest;
import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.Http.Response;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Another instance appends to a counter this instance holds in its cache: the next command here loses the
 * append race, or expects a version the cache has not seen, the cache entry is evicted, and the command is retried
 * on the fresh state, neither lost nor doubled.
 */
@IntegrationTest
class StaleCacheIT {

    @LocalServerPort
    private int port;

    @Autowired
    private EventStorageEngine storageEngine;

    @Autowired
    private TransactionManager transactionManager;

    @Test
    void aCommandOnAStaleCachedCounterIsRetriedOnTheFreshState() {
        Http http = Http.commandSide("http://localhost:" + port);
        assertThat(http.post("/api/counters/stale/increments", null, null).status())
                .isEqualTo(200);

        transactionManager.executeInTransaction(() -> storageEngine.appendEvents(new GenericDomainEventMessage<>(
                "Counter", "stale", 1, new CounterIncremented("stale", 10, 11, null, 2))));
        Response response = http.post("/api/counters/stale/increments", null, null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"counterId\":\"stale\",\"value\":12,\"version\":3}");
    }

    @Test
    void anIfMatchOnTheVersionAnotherInstanceStoredIsAnsweredOnTheFreshState() {
        Http http = Http.commandSide("http://localhost:" + port);
        assertThat(http.post("/api/counters/stale-if-match/increments", null, null)
                        .status())
                .isEqualTo(200);

        transactionManager.executeInTransaction(() -> storageEngine.appendEvents(new GenericDomainEventMessage<>(
                "Counter", "stale-if-match", 1, new CounterIncremented("stale-if-match", 10, 11, null, 2))));
        // the client saw version 2 on the other instance: that is the counter's version, so it is no 412
        Response response = http.post("/api/counters/stale-if-match/increments", null, null, "If-Match", "\"2\"");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"counterId\":\"stale-if-match\",\"value\":12,\"version\":3}");
        Response mismatch = http.post("/api/counters/stale-if-match/increments", null, null, "If-Match", "\"5\"");
        assertThat(mismatch.status()).isEqualTo(412);
        assertThat(mismatch.body()).contains("\"currentVersion\":3");
    }

    @Test
    void anIfMatchBehindAStaleCacheIsRefusedWithTheStoredVersion() {
        Http http = Http.commandSide("http://localhost:" + port);
        http.post("/api/counters/stale-behind/increments", null, null);
        http.post("/api/counters/stale-behind/increments", null, null);

        transactionManager.executeInTransaction(() -> storageEngine.appendEvents(new GenericDomainEventMessage<>(
                "Counter", "stale-behind", 2, new CounterIncremented("stale-behind", 1, 3, null, 3))));
        Response behind = http.post("/api/counters/stale-behind/increments", null, null, "If-Match", "\"1\"");

        assertThat(behind.status()).isEqualTo(412);
        assertThat(behind.body()).contains("\"currentVersion\":3");
        assertThat(behind.header("ETag")).hasValue("\"3\"");
    }
}
