package io.counterplatform.query.config;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.AsyncTaskExecutor;

/**
 * The event source of the streaming processors in JDBC mode. Axon's {@code EmbeddedEventStore} streams offer no
 * availability callback, so a pooled processor falls back to looking every 500 ms. This source adds the callback:
 * one watcher, on a thread of its own, tails the store's own shared stream (which wakes as soon as the store has
 * fetched new events) and wakes every open processor stream.
 */
class WakingEventSource implements StreamableMessageSource<TrackedEventMessage<?>>, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WakingEventSource.class);

    private final StreamableMessageSource<TrackedEventMessage<?>> eventStore;
    private final Set<Runnable> callbacks = ConcurrentHashMap.newKeySet();
    private final AsyncTaskExecutor watcherThread;
    private volatile Future<?> watcher;

    WakingEventSource(StreamableMessageSource<TrackedEventMessage<?>> eventStore, AsyncTaskExecutor watcherThread) {
        this.eventStore = eventStore;
        this.watcherThread = watcherThread;
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        return new WakeableStream(eventStore.openStream(trackingToken));
    }

    @Override
    public TrackingToken createTailToken() {
        return eventStore.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return eventStore.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return eventStore.createTokenAt(dateTime);
    }

    @Override
    public void start() {
        watcher = watcherThread.submit(this::watch);
    }

    @Override
    public void stop() {
        Future<?> running = watcher;
        watcher = null;
        if (running != null) {
            running.cancel(true);
        }
    }

    @Override
    public boolean isRunning() {
        return watcher != null;
    }

    private void watch() {
        while (!Thread.currentThread().isInterrupted()) {
            try (BlockingStream<TrackedEventMessage<?>> tail = eventStore.openStream(eventStore.createHeadToken())) {
                while (true) {
                    if (tail.hasNextAvailable(1, TimeUnit.SECONDS)) {
                        while (tail.hasNextAvailable()) {
                            tail.nextAvailable();
                        }
                        callbacks.forEach(Runnable::run);
                    }
                }
            } catch (InterruptedException stopped) {
                return;
            } catch (RuntimeException failure) {
                log.warn("Watching for new events failed, retrying in a second: {}", failure.toString());
                try {
                    TimeUnit.SECONDS.sleep(1);
                } catch (InterruptedException stopped) {
                    return;
                }
            }
        }
    }

    /** A processor's stream, woken by the watcher. */
    private final class WakeableStream implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> delegate;
        private volatile Runnable callback = () -> {};

        private WakeableStream(BlockingStream<TrackedEventMessage<?>> delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return delegate.peek();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return delegate.hasNextAvailable(timeout, unit);
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return delegate.nextAvailable();
        }

        @Override
        public boolean setOnAvailableCallback(Runnable onAvailable) {
            callbacks.remove(callback);
            callback = onAvailable;
            callbacks.add(onAvailable);
            return true;
        }

        @Override
        public void close() {
            callbacks.remove(callback);
            delegate.close();
        }
    }
}
