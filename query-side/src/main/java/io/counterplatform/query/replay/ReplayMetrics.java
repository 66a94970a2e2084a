package io.counterplatform.query.replay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/** {@code counter.replay.progress} (0..1, per projection) and {@code counter.replay.events} (a rate in Prometheus). */
@Component
class ReplayMetrics {

    private final MeterRegistry meters;
    private final Map<String, AtomicReference<Double>> progress = new ConcurrentHashMap<>();

    ReplayMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void progress(String projection, int events, double fraction) {
        Counter.builder("counter.replay.events")
                .description("events applied by projection rebuilds")
                .tag("projection", projection)
                .register(meters)
                .increment(events);
        gauge(projection).set(fraction);
    }

    void stopped(String projection) {
        gauge(projection).set(0.0);
    }

    private AtomicReference<Double> gauge(String projection) {
        return progress.computeIfAbsent(projection, name -> {
            AtomicReference<Double> value = new AtomicReference<>(0.0);
            Gauge.builder("counter.replay.progress", value, AtomicReference::get)
                    .description("progress of the running rebuild, 0 when none runs")
                    .tag("projection", name)
                    .register(meters);
            return value;
        });
    }
}
