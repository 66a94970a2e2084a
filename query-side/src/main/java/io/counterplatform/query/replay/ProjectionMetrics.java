package io.counterplatform.query.replay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * What each streaming processor does, measured cheaply: events handled ({@code counter.projection.events}), the
 * time from an event's storing to its handling ({@code counter.projection.latency}, a histogram), and how many
 * events it is behind the head of the stream ({@code counter.projection.lag.events}, read from the token table
 * when scraped). Axon's own per-message monitors are off: they cost as much as the projections' work.
 */
@Component
class ProjectionMetrics {

    private final MeterRegistry meters;
    private final TokenPositions tokens;
    private final EventStore eventStore;

    ProjectionMetrics(MeterRegistry meters, TokenPositions tokens, EventStore eventStore) {
        this.meters = meters;
        this.tokens = tokens;
        this.eventStore = eventStore;
    }

    @Autowired
    void measureEveryProcessor(EventProcessingConfigurer processing) {
        processing.registerDefaultHandlerInterceptor((configuration, processor) -> interceptor(processor));
    }

    private MessageHandlerInterceptor<EventMessage<?>> interceptor(String processor) {
        Counter events = Counter.builder("counter.projection.events")
                .description("events handled")
                .tag("processor", processor)
                .register(meters);
        Timer latency = Timer.builder("counter.projection.latency")
                .description("from an event's storing to its handling")
                .tag("processor", processor)
                .publishPercentileHistogram()
                .register(meters);
        Gauge.builder("counter.projection.lag.events", () -> lag(processor))
                .description("events between the processor's position and the head of the stream")
                .tag("processor", processor)
                .register(meters);
        AtomicReference<Instant> lastStored = new AtomicReference<>();
        Gauge.builder("counter.projection.lag", () -> lagMillis(processor, lastStored.get()))
                .description("while behind: at most this long since the newest event handled was stored")
                .tag("processor", processor)
                .baseUnit("milliseconds")
                .register(meters);
        return (unitOfWork, chain) -> {
            Instant stored = unitOfWork.getMessage().getTimestamp();
            Object result = chain.proceed();
            events.increment();
            latency.record(Duration.between(stored, Instant.now()));
            lastStored.set(stored);
            return result;
        };
    }

    private double lagMillis(String processor, Instant lastStored) {
        double behind = lag(processor);
        if (behind == 0 || Double.isNaN(behind)) {
            return behind;
        }
        return lastStored == null
                ? Double.NaN
                : Duration.between(lastStored, Instant.now()).toMillis();
    }

    private double lag(String processor) {
        try {
            TrackingToken head = eventStore.createHeadToken();
            Long position = tokens.position(processor);
            if (head == null || position == null) {
                return 0;
            }
            return Math.max(0, head.position().orElse(0) - position);
        } catch (RuntimeException unreachable) {
            return Double.NaN; // the database or the event store is out of reach; health says so
        }
    }
}
