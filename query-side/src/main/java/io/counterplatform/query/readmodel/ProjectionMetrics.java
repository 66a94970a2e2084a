package io.counterplatform.query.readmodel;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * What each streaming processor does, measured cheaply: events handled ({@code counter.projection.events}), the
 * time from an event's storing to its handling ({@code counter.projection.latency}, a histogram), and how far it is
 * behind the head of the stream across every instance, in events and in time ({@code counter.projection.lag.events}
 * and {@code counter.projection.lag}, read when scraped). Axon's own per-message monitors are off: they cost as
 * much as the projections' work.
 */
@Component
class ProjectionMetrics {

    private final MeterRegistry meters;
    private final ProcessorLag lag;

    ProjectionMetrics(MeterRegistry meters, ProcessorLag lag) {
        this.meters = meters;
        this.lag = lag;
    }

    @Autowired
    void measureEveryProcessor(EventProcessingConfigurer processing) {
        processing.registerDefaultHandlerInterceptor((configuration, processor) -> interceptor(processor));
    }

    MessageHandlerInterceptor<EventMessage<?>> interceptor(String processor) {
        Counter events = Counter.builder("counter.projection.events")
                .description("events handled")
                .tag("processor", processor)
                .register(meters);
        Timer latency = Timer.builder("counter.projection.latency")
                .description("from an event's storing to its handling")
                .tag("processor", processor)
                .publishPercentileHistogram()
                .register(meters);
        Gauge.builder(
                        "counter.projection.lag.events",
                        () -> measured(() -> lag.of(processor, lag.head()).events()))
                .description("events between the processor's slowest segment and the head of the stream")
                .tag("processor", processor)
                .register(meters);
        Gauge.builder(
                        "counter.projection.lag",
                        () -> measured(() -> lag.of(processor, lag.head()).millis()))
                .description("how long the oldest event the processor has not handled has waited")
                .tag("processor", processor)
                .baseUnit("milliseconds")
                .register(meters);
        return (unitOfWork, chain) -> {
            Instant stored = unitOfWork.getMessage().getTimestamp();
            Object result = chain.proceed();
            events.increment();
            latency.record(Duration.between(stored, Instant.now()));
            return result;
        };
    }

    /** Removes a processor's meters, once this instance no longer runs it. */
    void forget(String processor) {
        meters.getMeters().stream()
                .filter(meter -> meter.getId().getName().startsWith("counter.projection.")
                        && processor.equals(meter.getId().getTag("processor")))
                .forEach(meters::remove);
    }

    /** NaN while the database or the event store is out of reach (health says so), or does not answer in time. */
    private static double measured(Supplier<Long> reading) {
        try {
            Long value = reading.get();
            return value == null ? Double.NaN : value;
        } catch (RuntimeException unreachable) {
            return Double.NaN;
        }
    }
}
