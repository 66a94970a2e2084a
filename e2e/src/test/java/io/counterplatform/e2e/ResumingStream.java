package io.counterplatform.e2e;

import io.counterplatform.testsupport.SseClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A live stream of one counter, followed as a browser's EventSource does: when the connection drops (a crash, a
 * restart), it reconnects with {@code Last-Event-ID} and carries on. Records every version it was sent.
 */
final class ResumingStream implements AutoCloseable {

    private final List<Long> versions = new CopyOnWriteArrayList<>();
    private final Thread follower;
    private volatile boolean closed;

    /** {@code baseUrl} is asked anew at each reconnect: the query side may come back elsewhere. */
    ResumingStream(Supplier<String> baseUrl, String counterId) {
        follower = new Thread(() -> follow(baseUrl, counterId), "resuming-stream-" + counterId);
        follower.setDaemon(true);
        follower.start();
    }

    List<Long> versions() {
        return List.copyOf(versions);
    }

    private void follow(Supplier<String> baseUrl, String counterId) {
        while (!closed) {
            String[] lastEventId = versions.isEmpty()
                    ? new String[0]
                    : new String[] {"Last-Event-ID", Long.toString(versions.get(versions.size() - 1))};
            try (SseClient stream =
                    SseClient.connect(baseUrl.get() + "/api/counters/" + counterId + "/stream", lastEventId)) {
                while (!closed && !stream.ended()) {
                    SseClient.Event event = stream.next(Duration.ofMillis(200));
                    if (event != null) {
                        versions.add(Long.parseLong(event.id()));
                    }
                }
                // drain what arrived before the end
                for (SseClient.Event event = stream.next(Duration.ZERO);
                        event != null;
                        event = stream.next(Duration.ZERO)) {
                    versions.add(Long.parseLong(event.id()));
                }
            } catch (RuntimeException unreachable) {
                // the query side is down: try again shortly
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
