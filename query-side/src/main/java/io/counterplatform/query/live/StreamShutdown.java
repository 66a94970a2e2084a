package io.counterplatform.query.live;

import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Ends every open stream when the service stops, before the web server's graceful shutdown would wait for
 * them (the context announces its closing before it stops any lifecycle bean): clients reconnect (with
 * {@code Last-Event-ID}) to another instance or to this one once it is back.
 */
@Component
class StreamShutdown {

    private final Sinks.Empty<Void> stopping = Sinks.empty();

    Mono<Void> signal() {
        return stopping.asMono();
    }

    @EventListener(ContextClosedEvent.class)
    void stop() {
        stopping.tryEmitEmpty();
    }
}
