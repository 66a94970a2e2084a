package io.counterplatform.command.counter;

import io.counterplatform.api.counter.IncrementRejection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.commandhandling.CommandExecutionException;
import org.springframework.stereotype.Component;

/**
 * {@code counter.increments}: every increment command by outcome ({@code accepted}, {@code replayed}, the
 * rejection's reason, or {@code failed}), timed from sending to answer, with a latency histogram.
 */
@Component
class IncrementMetrics {

    private final MeterRegistry meters;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    IncrementMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    Timer.Sample start() {
        return Timer.start(meters);
    }

    void answered(Timer.Sample sample, boolean replayed) {
        sample.stop(timer(replayed ? "replayed" : "accepted"));
    }

    void failed(Timer.Sample sample, RuntimeException failure) {
        String outcome = failure instanceof CommandExecutionException execution
                        && execution.getDetails().orElse(null) instanceof IncrementRejection rejection
                ? rejection.reason().name().toLowerCase(Locale.ROOT).replace('_', '-')
                : "failed";
        sample.stop(timer(outcome));
    }

    private Timer timer(String outcome) {
        return timers.computeIfAbsent(
                outcome,
                key -> Timer.builder("counter.increments")
                        .description("increment commands, by outcome, from sending to answer")
                        .tag("outcome", key)
                        .publishPercentileHistogram()
                        .register(meters));
    }
}
