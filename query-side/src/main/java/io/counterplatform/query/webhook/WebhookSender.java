package io.counterplatform.query.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import io.counterplatform.support.tracing.TracingSupport;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.io.ModalCloseable;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;

/**
 * POSTs one delivery, signed as Standard Webhooks v1 with that project's library ({@code webhook-id},
 * {@code webhook-timestamp}, {@code webhook-signature}), so subscribers verify it with its libraries. Redirects are
 * never followed (a redirect could point anywhere), so only a 2xx answer is a success, and only within the
 * timeout, counted from the start of the attempt to the answer's status: past it the exchange is cut off, however
 * slowly the receiver trickles. An answer's body is never read: a connection whose answer has one is closed, not
 * drained. The client resolves names only through the target policy, and connects to exactly the addresses it
 * vetted. Each attempt is a span in the trace of the increment it delivers, and passes that trace on
 * ({@code traceparent}).
 */
class WebhookSender {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    private final CloseableHttpClient http;
    private final ObjectMapper json;
    private final Duration timeout;
    private final TaskScheduler deadlines;
    private final Tracer tracer;
    private final Propagator propagator;

    WebhookSender(
            ObjectMapper json,
            CallbackTargetPolicy targets,
            Duration timeout,
            TaskScheduler deadlines,
            Tracer tracer,
            Propagator propagator) {
        this.json = json;
        this.timeout = timeout;
        this.deadlines = deadlines;
        this.tracer = tracer;
        this.propagator = propagator;
        Timeout limit = Timeout.of(timeout);
        this.http = HttpClients.custom()
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
    }

    /** Sends the event; {@code attempt} counts from 1. Throws with the reason if it did not succeed. */
    void send(Endpoint endpoint, WebhookEvent event, int attempt) {
        Span span = propagator
                .extract(
                        event, (carrier, key) -> TracingSupport.TRACE_PARENT.equals(key) ? carrier.traceParent() : null)
                .name("webhook delivery")
                .kind(Span.Kind.CLIENT)
                .tag("counter.id", event.counterId())
                .tag("counter.version", event.version())
                .start();
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            try {
                exchange(endpoint, event, span);
            } catch (RuntimeException failed) {
                // in the span's scope (a try-with-resources closes it before its own catch): logged with its trace
                span.error(failed);
                log.debug(
                        "Delivery of {} to {} failed (attempt {}): {}",
                        event.eventId(),
                        endpoint.callbackUrl(),
                        attempt,
                        failed.toString());
                throw failed;
            }
        } finally {
            span.end();
        }
    }

    private void exchange(Endpoint endpoint, WebhookEvent event, Span span) {
        HttpPost post = new HttpPost(CallbackTargetPolicy.parse(endpoint.callbackUrl()));
        String body = body(event);
        // the event id names the message across retries; the timestamp is this attempt's, so a captured delivery
        // grows stale at the subscriber
        long timestamp = Instant.now().getEpochSecond();
        post.setHeader("webhook-id", event.eventId());
        post.setHeader("webhook-timestamp", Long.toString(timestamp));
        post.setHeader("webhook-signature", signatures(endpoint, event.eventId(), timestamp, body));
        propagator.inject(span.context(), post, HttpPost::setHeader);
        post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        ScheduledFuture<?> deadline =
                deadlines.schedule(post::cancel, Instant.now().plus(timeout));
        int status;
        try {
            ClassicHttpResponse response = http.executeOpen(null, post, null);
            status = response.getCode();
            if (response.getEntity() == null || response.getEntity().getContentLength() == 0) {
                response.close(); // nothing to read: the connection is kept for the next delivery
            } else if (response instanceof ModalCloseable closeable) {
                closeable.close(CloseMode.IMMEDIATE); // not drained: the connection goes with the body
            } else {
                response.close();
            }
        } catch (IOException failed) {
            throw new IllegalStateException(post.isCancelled() ? "timed out" : reason(failed));
        } finally {
            deadline.cancel(false);
        }
        if (status < 200 || status > 299) {
            throw new IllegalStateException("answered " + status);
        }
    }

    /** {@code v1,<signature>} with the secret, then with each one a rotation replaced while its overlap lasts. */
    private static String signatures(Endpoint endpoint, String id, long timestamp, String body) {
        return Stream.concat(Stream.of(endpoint.secret()), endpoint.retiredSecrets().stream())
                .map(secret -> sign(secret, id, timestamp, body))
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

    private String body(WebhookEvent event) {
        try {
            return json.writeValueAsString(event.payload());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
