package io.counterplatform.query.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import io.counterplatform.support.tracing.TracingSupport;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * POSTs one delivery, signed as Standard Webhooks v1 with that project's library ({@code webhook-id},
 * {@code webhook-timestamp}, {@code webhook-signature}), so subscribers verify it with its libraries. Redirects are
 * never followed (a redirect could point anywhere), so only a 2xx answer within the timeout is a success. The
 * client resolves names only through the target policy, and connects to exactly the addresses it vetted. Each
 * attempt is a span in the trace of the increment it delivers, and passes that trace on ({@code traceparent}).
 */
class WebhookSender {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    private final RestClient http;
    private final ObjectMapper json;
    private final Tracer tracer;
    private final Propagator propagator;

    WebhookSender(
            ObjectMapper json, CallbackTargetPolicy targets, Duration timeout, Tracer tracer, Propagator propagator) {
        this.json = json;
        this.tracer = tracer;
        this.propagator = propagator;
        Timeout limit = Timeout.of(timeout);
        CloseableHttpClient client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new DnsResolver() {
                            // the client's only name resolution: it connects to exactly the addresses just vetted,
                            // so a name that resolves to a public address for the check and to a private one for
                            // the connection (DNS rebinding) cannot reach the private one; a refusal says why
                            @Override
                            public InetAddress[] resolve(String host) {
                                return targets.vettedAddresses(host);
                            }

                            @Override
                            public String resolveCanonicalHostname(String host) {
                                return host;
                            }
                        })
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(limit)
                                .setSocketTimeout(limit)
                                .build())
                        .setMaxConnTotal(64)
                        .setMaxConnPerRoute(16)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(limit)
                        .setResponseTimeout(limit)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .build();
        this.http = RestClient.builder()
                .requestFactory(new HttpComponentsClientHttpRequestFactory(client))
                .build();
    }

    /** Sends the delivery; throws with the reason if it did not succeed. */
    void send(Delivery delivery) {
        Span span = propagator
                .extract(
                        delivery,
                        (carrier, key) -> TracingSupport.TRACE_PARENT.equals(key) ? carrier.traceParent() : null)
                .name("webhook delivery")
                .kind(Span.Kind.CLIENT)
                .tag("counter.id", delivery.counterId())
                .tag("counter.version", delivery.version())
                .start();
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            try {
                exchange(delivery, span);
            } catch (RuntimeException failed) {
                // in the span's scope (a try-with-resources closes it before its own catch): logged with its trace
                span.error(failed);
                log.debug(
                        "Delivery of {} to {} failed (attempt {}): {}",
                        delivery.eventId(),
                        delivery.callbackUrl(),
                        delivery.attempts() + 1,
                        failed.toString());
                throw failed;
            }
        } finally {
            span.end();
        }
    }

    private void exchange(Delivery delivery, Span span) {
        URI target = CallbackTargetPolicy.parse(delivery.callbackUrl());
        String body = body(delivery);
        // the event id names the message across retries; the timestamp is this attempt's, so a captured delivery
        // grows stale at the subscriber
        long timestamp = Instant.now().getEpochSecond();
        try {
            HttpStatusCode status = http.post()
                    .uri(target)
                    .contentType(MediaType.APPLICATION_JSON)
                    .header("webhook-id", delivery.eventId())
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", signatures(delivery, timestamp, body))
                    .headers(headers -> propagator.inject(span.context(), headers, HttpHeaders::set))
                    .body(body.getBytes(StandardCharsets.UTF_8))
                    .exchange((request, response) -> response.getStatusCode());
            if (!status.is2xxSuccessful()) {
                throw new IllegalStateException("answered " + status.value());
            }
        } catch (ResourceAccessException failed) {
            throw new IllegalStateException(reason(failed.getCause()));
        }
    }

    /** {@code v1,<signature>} with the secret, then, while a rotation's overlap lasts, with the previous one. */
    static String signatures(Delivery delivery, long timestamp, String body) {
        return Stream.of(delivery.secret(), delivery.previousSecret())
                .filter(Objects::nonNull)
                .map(secret -> sign(secret, delivery.eventId(), timestamp, body))
                .collect(Collectors.joining(" "));
    }

    private static String sign(String secret, String id, long timestamp, String body) {
        try {
            return new Webhook(secret).sign(id, timestamp, body);
        } catch (WebhookSigningException | IllegalArgumentException unusable) {
            throw new IllegalStateException("the subscription's secret cannot sign");
        }
    }

    /**
     * Why a delivery failed, in words of our own: the subscriber reads it among its dead letters, and a library's
     * text would name the addresses a host resolved to, and our classes.
     */
    private static String reason(Throwable failure) {
        if (failure instanceof UnknownHostException) {
            return "the callback host does not resolve";
        }
        if (failure instanceof SocketTimeoutException || failure instanceof ConnectTimeoutException) {
            return "timed out";
        }
        if (failure instanceof ConnectException) {
            return "connection refused";
        }
        if (failure instanceof SSLException) {
            return "TLS handshake failed";
        }
        return "the connection failed";
    }

    private String body(Delivery delivery) {
        try {
            return json.writeValueAsString(delivery.payload());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
