package io.counterplatform.query.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.counterplatform.query.EventStoreWriter;
import io.counterplatform.query.IntegrationTest;
import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.WebhookReceiver;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An event that carries its command's trace ({@code traceparent} metadata, as Axon's tracing writes it on the
 * command side) is handled by every processor in that trace, and each webhook attempt continues it and passes it
 * on. The spans leave the process over OTLP once an endpoint is configured.
 */
@IntegrationTest
@Import({EventStoreWriter.class, TracingIT.Spans.class})
@AutoConfigureObservability(metrics = false)
class TracingIT {

    private static final WebhookReceiver RECEIVER = new WebhookReceiver();
    private static final WebhookReceiver COLLECTOR = new WebhookReceiver();
    private static final String ADMIN_KEY = "tracing-tests-admin-key";
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry settings) {
        settings.add("management.tracing.sampling.probability", () -> "1.0");
        settings.add("management.otlp.tracing.endpoint", () -> COLLECTOR.url() + "/v1/traces");
        settings.add("counter.webhooks.allow-private-targets", () -> "true");
        settings.add("counter.admin.api-key", () -> ADMIN_KEY);
    }

    @TestConfiguration
    static class Spans {
        @Bean
        InMemorySpanExporter inMemorySpans() {
            return InMemorySpanExporter.create();
        }
    }

    @LocalServerPort
    private int port;

    @Autowired
    private EventStoreWriter events;

    @Autowired
    private InMemorySpanExporter spans;

    @AfterAll
    static void close() {
        RECEIVER.close();
        COLLECTOR.close();
    }

    @Test
    void anEventsHandlersAndWebhookAttemptsContinueTheTraceOfItsCommand() {
        String counter = "traced-" + UUID.randomUUID();
        Http admin = Http.querySide("http://localhost:" + port, "X-Api-Key", ADMIN_KEY);
        assertThat(admin.post(
                                "/api/subscriptions",
                                "application/json",
                                "{\"callbackUrl\":\"" + RECEIVER.url() + "\",\"counterId\":\"" + counter + "\"}")
                        .status())
                .isEqualTo(201);

        events.increment(counter, 3, Map.of("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01"));

        await().atMost(Duration.ofSeconds(30)).until(() -> RECEIVER.accepted().size() == 1);
        assertThat(RECEIVER.accepted().get(0).header("traceparent")).startsWith("00-" + TRACE_ID + "-");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(inTrace())
                        .extracting(SpanData::getName)
                        .contains("webhook delivery")
                        .anyMatch(name -> name.startsWith("CounterSummaryProjection.on(CounterIncremented"))
                        .anyMatch(name -> name.startsWith("NewEventsSignal.on(CounterIncremented")));
        // exported over OTLP (protobuf), span names and all
        await().atMost(Duration.ofSeconds(30))
                .until(() -> COLLECTOR.all().stream()
                        .anyMatch(export -> export.body().contains("webhook delivery")));
        assertThat(COLLECTOR.all().get(0).header("Content-Type")).isEqualTo("application/x-protobuf");
    }

    private List<SpanData> inTrace() {
        return spans.getFinishedSpanItems().stream()
                .filter(span -> span.getTraceId().equals(TRACE_ID))
                .toList();
    }
}
