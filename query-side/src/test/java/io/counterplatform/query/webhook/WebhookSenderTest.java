package io.counterplatform.query.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.counterplatform.testsupport.WebhookReceiver;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sender connects to exactly the addresses the policy vetted, under the callback's own host name: a real
 * receiver on loopback, and a name server played by the test (a {@code .test} name no real one answers).
 */
class WebhookSenderTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    private final WebhookReceiver receiver = new WebhookReceiver();
    private final int port = URI.create(receiver.url()).getPort();
    private final Queue<InetAddress> answers = new ArrayDeque<>();
    private final CallbackResolver nameServer = host -> {
        InetAddress next = "hooks.test".equals(host) ? answers.poll() : null;
        if (next == null) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[] {next};
    };

    @AfterEach
    void closeReceiver() {
        receiver.close();
    }

    @Test
    void aDeliveryGoesToTheResolvedAddressWithTheCallbacksHostHeader() throws Exception {
        answers.add(InetAddress.getLoopbackAddress());
        WebhookSender sender =
                new WebhookSender(JSON, policy(true), Duration.ofSeconds(5), Tracer.NOOP, Propagator.NOOP);

        sender.send(delivery("http://hooks.test:" + port + "/hook"));

        assertThat(receiver.all()).hasSize(1);
        assertThat(receiver.all().get(0).header("Host")).isEqualTo("hooks.test:" + port);
    }

    @Test
    void aNameThatTurnsPrivateAfterTheCheckIsNeverConnectedTo() throws Exception {
        // DNS rebinding: public when the subscription is created, loopback when the delivery connects
        answers.add(InetAddress.getByName("93.184.216.34"));
        answers.add(InetAddress.getLoopbackAddress());
        CallbackTargetPolicy policy = policy(false);
        String callback = "http://hooks.test:" + port + "/hook";
        policy.check(callback);

        WebhookSender sender = new WebhookSender(JSON, policy, Duration.ofSeconds(5), Tracer.NOOP, Propagator.NOOP);

        assertThatThrownBy(() -> sender.send(delivery(callback)))
                .hasMessage("callbackUrl is not a public address")
                .satisfies(failure -> assertThat(failure.toString()).doesNotContain("127.0.0.1"));
        assertThat(answers).isEmpty();
        assertThat(receiver.all()).isEmpty();
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        answers.add(InetAddress.getLoopbackAddress());
        receiver.answer(request -> 307);
        WebhookSender sender =
                new WebhookSender(JSON, policy(true), Duration.ofSeconds(5), Tracer.NOOP, Propagator.NOOP);

        assertThatThrownBy(() -> sender.send(delivery("http://hooks.test:" + port + "/hook")))
                .hasMessage("answered 307");
        assertThat(receiver.all()).hasSize(1);
    }

    @Test
    void aFailureIsToldInWordsThatNameNoAddress() throws Exception {
        answers.add(InetAddress.getLoopbackAddress());
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        WebhookSender sender =
                new WebhookSender(JSON, policy(true), Duration.ofSeconds(5), Tracer.NOOP, Propagator.NOOP);

        assertThatThrownBy(() -> sender.send(delivery("http://hooks.test:" + closed + "/hook")))
                .hasMessage("connection refused");
    }

    private CallbackTargetPolicy policy(boolean allowPrivate) {
        return CallbackTargetPolicyTest.policyOf(allowPrivate, nameServer, Duration.ofSeconds(2));
    }

    private static Delivery delivery(String callbackUrl) {
        return new Delivery(
                UUID.randomUUID(),
                UUID.randomUUID(),
                callbackUrl,
                WebhookSecrets.generate(),
                null,
                UUID.randomUUID().toString(),
                "c",
                1,
                1,
                1,
                Instant.now(),
                0,
                null);
    }
}
