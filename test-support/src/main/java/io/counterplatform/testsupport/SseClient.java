package io.counterplatform.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A server-sent events client for tests and tools. The HTTP client reads the stream as it arrives and hands it
 * over line by line, on its own threads: this class starts none.
 */
public final class SseClient implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** One message: its {@code id}, {@code event} name and {@code data}. */
    public record Event(String id, String event, String data) {}

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Consumer<Event> onEvent;
    private final AtomicInteger comments = new AtomicInteger();
    private final CompletableFuture<HttpResponse.ResponseInfo> head = new CompletableFuture<>();
    private final Lines lines = new Lines();
    private volatile boolean ended;
    private String refusal = "";

    private SseClient(Consumer<Event> onEvent) {
        this.onEvent = onEvent == null ? events::add : onEvent;
    }

    /** Opens the stream; {@code headers} come in name, value pairs. Returns once the headers have arrived. */
    public static SseClient connect(String url, String... headers) {
        return open(url, null, headers);
    }

    /**
     * Opens a stream on {@code localhost} that is never read, with a small receive buffer: a client that stopped
     * reading. Closing the socket is the caller's.
     */
    public static Socket stalled(int port, String path) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(1024);
        socket.connect(new InetSocketAddress("localhost", port));
        socket.getOutputStream()
                .write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    /**
     * Opens the stream and hands each message to {@code onEvent} the moment it arrives (not to {@link #next}), on
     * the HTTP client's thread; an exception thrown there ends the stream.
     */
    public static SseClient connect(String url, Consumer<Event> onEvent) {
        return open(url, onEvent);
    }

    private static SseClient open(String url, Consumer<Event> onEvent, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        SseClient client = new SseClient(onEvent);
        CompletableFuture<HttpResponse<String>> response = CLIENT.sendAsync(
                        request.GET().build(), client::body)
                .whenComplete((done, failure) -> {
                    client.ended = true;
                    if (failure != null) {
                        client.head.completeExceptionally(failure);
                    }
                });
        try {
            if (client.head.get().statusCode() != 200) {
                client.refusal = response.get().body();
            }
            return client;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io
                    ? new UncheckedIOException("could not open " + url, io)
                    : new IllegalStateException("could not open " + url, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.cancel(true); // no stream left open without an owner
            client.close();
            throw new IllegalStateException(e);
        }
    }

    /** Called when the headers have arrived: an open stream is read line by line, a refusal whole. */
    private BodySubscriber<String> body(HttpResponse.ResponseInfo info) {
        head.complete(info);
        return info.statusCode() == 200
                ? BodySubscribers.fromLineSubscriber(lines, read -> "", StandardCharsets.UTF_8, null)
                : BodySubscribers.ofString(StandardCharsets.UTF_8);
    }

    public int status() {
        return head.join().statusCode();
    }

    public String contentType() {
        return header("Content-Type");
    }

    /** A response header's first value, or "" without one. */
    public String header(String name) {
        return head.join().headers().firstValue(name).orElse("");
    }

    /** The body of a refusal (any status but 200): the problem; "" for an open stream. */
    public String refusal() {
        return refusal;
    }

    /** The next message, or null if none arrives within the timeout. */
    public Event next(Duration timeout) {
        try {
            return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Whether the stream is over: ended by the server, broken, or closed here (every message before is kept). */
    public boolean ended() {
        return ended;
    }

    /** How many comment lines (heartbeats) arrived so far. */
    public int comments() {
        return comments.get();
    }

    /** Hangs up: the connection is closed, as when a browser tab goes away. */
    @Override
    public void close() {
        lines.cancel();
    }

    /** The stream's lines, one at a time, in order (the HTTP client never calls it on two threads at once). */
    private final class Lines implements Flow.Subscriber<String> {

        private volatile Flow.Subscription subscription;
        private volatile boolean cancelled;
        private String id;
        private String event;
        private final StringBuilder data = new StringBuilder();

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
            if (cancelled) {
                subscription.cancel();
            }
        }

        @Override
        public void onNext(String line) {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    onEvent.accept(new Event(id, event, data.toString()));
                }
                id = null;
                event = null;
                data.setLength(0);
            } else if (line.startsWith(":")) {
                comments.incrementAndGet();
            } else if (line.startsWith("id:")) {
                id = line.substring(3).strip();
            } else if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).strip());
            }
        }

        @Override
        public void onError(Throwable failure) {
            ended = true; // the connection broke
        }

        @Override
        public void onComplete() {
            ended = true;
        }

        void cancel() {
            cancelled = true;
            ended = true; // a cancelled subscription hears of no end
            Flow.Subscription current = subscription;
            if (current != null) {
                current.cancel();
            }
        }
    }
}
