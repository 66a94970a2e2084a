package io.counterplatform.query.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.counterplatform.testsupport.WebhookReceiver;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

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

    private final List<ThreadPoolTaskScheduler> schedulers = new ArrayList<>();

    @AfterEach
    void closeReceiver() {
        receiver.close();
        schedulers.forEach(ThreadPoolTaskScheduler::shutdown);
    }

    @Test
    void aReceiverThatTricklesItsAnswerIsCutOffAtTheDeadline() throws Exception {
        try (ServerSocket trickler = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            answers.add(InetAddress.getLoopbackAddress());
            background(() -> trickle(trickler));
            WebhookSender sender = sender(policy(true), Duration.ofMillis(1500));

            // each byte comes well within the read timeout, for ever: only a deadline on the whole exchange ends it
            assertThatThrownBy(() -> send(sender, "http://hooks.test:" + trickler.getLocalPort() + "/hook"))
                    .hasMessage("timed out");
        }
    }

    @Test
    @Timeout(60) // a failure would otherwise read for ever
    void aSuccessIsTakenFromTheStatusWithoutReadingTheBody() throws Exception {
        try (ServerSocket endless = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            answers.add(InetAddress.getLoopbackAddress());
            background(() -> answerOkWithAnEndlessBody(endless));
            WebhookSender sender = sender(policy(true), Duration.ofMinutes(5));

            // the body never ends: the send returns only because it does not read it
            assertThatCode(() -> send(sender, "http://hooks.test:" + endless.getLocalPort() + "/hook"))
                    .doesNotThrowAnyException();
        }
    }

    private static void background(Runnable task) {
        Thread thread = new Thread(task, "test-receiver");
        thread.setDaemon(true);
        thread.start();
    }

    /** Reads the request, then sends an answer's status line one byte every 200 ms, forever. */
    private static void trickle(ServerSocket server) {
        try (Socket client = server.accept()) {
            client.getInputStream().read(new byte[8192]);
            OutputStream out = client.getOutputStream();
            for (byte b : "HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII)) {
                out.write(b);
                out.flush();
                Thread.sleep(200);
            }
            while (true) {
                out.write('x');
                out.flush();
                Thread.sleep(200);
            }
        } catch (IOException | InterruptedException closed) {
            // the sender hung up
        }
    }

    /** Answers 200 at once, then a chunked body that never ends. */
    private static void answerOkWithAnEndlessBody(ServerSocket server) {
        try (Socket client = server.accept()) {
            client.getInputStream().read(new byte[8192]);
            OutputStream out = client.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            while (true) {
                out.write("1\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(100);
            }
        } catch (IOException | InterruptedException closed) {
            // the sender hung up
        }
    }

    @Test
    void aDeliveryGoesToTheResolvedAddressWithTheCallbacksHostHeader() throws Exception {
        answers.add(InetAddress.getLoopbackAddress());
        WebhookSender sender = sender(policy(true), Duration.ofSeconds(5));

        send(sender, ("http://hooks.test:" + port + "/hook"));

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

        WebhookSender sender = sender(policy, Duration.ofSeconds(5));

        assertThatThrownBy(() -> send(sender, (callback)))
                .hasMessage("callbackUrl is not a public address")
                .satisfies(failure -> assertThat(failure.toString()).doesNotContain("127.0.0.1"));
        assertThat(answers).isEmpty();
        assertThat(receiver.all()).isEmpty();
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        answers.add(InetAddress.getLoopbackAddress());
        receiver.answer(request -> 307);
        WebhookSender sender = sender(policy(true), Duration.ofSeconds(5));

        assertThatThrownBy(() -> send(sender, ("http://hooks.test:" + port + "/hook")))
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
        WebhookSender sender = sender(policy(true), Duration.ofSeconds(5));

        assertThatThrownBy(() -> send(sender, ("http://hooks.test:" + closed + "/hook")))
                .hasMessage("connection refused");
    }

    private CallbackTargetPolicy policy(boolean allowPrivate) {
        return CallbackTargetPolicyTest.policyOf(allowPrivate, nameServer, Duration.ofSeconds(2));
    }

    private WebhookSender sender(CallbackTargetPolicy policy, Duration timeout) {
        ThreadPoolTaskScheduler deadlines = new ThreadPoolTaskScheduler();
        deadlines.initialize();
        schedulers.add(deadlines);
        return new WebhookSender(JSON, policy, timeout, deadlines, Tracer.NOOP, Propagator.NOOP);
    }

    private static void send(WebhookSender sender, String callbackUrl) {
        sender.send(
                new Endpoint(callbackUrl, WebhookSecrets.generate(), List.of()),
                new WebhookEvent(UUID.randomUUID().toString(), "c", 1, 1, 1, Instant.now(), null),
                1);
    }
}
