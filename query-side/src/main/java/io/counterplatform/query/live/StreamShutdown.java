package io.counterplatform.query.live;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Ends every open stream when the service stops, before the web server's graceful shutdown would wait for
 * them: clients reconnect (with {@code Last-Event-ID}) to another instance or to this one once it is back.
 */
@Component
class StreamShutdown implements SmartLifecycle {

    private final Sinks.Empty<Void> stopping = Sinks.empty();
    private volatile boolean running;

    Mono<Void> signal() {
        return stopping.asMono();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        stopping.tryEmitEmpty();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE; // stops first
    }
}
