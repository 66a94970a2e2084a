package io.counterplatform.command.counter;

import io.counterplatform.api.counter.CounterRules;
import io.counterplatform.api.counter.IncrementCounter;
import io.counterplatform.api.counter.IncrementResult;
import io.counterplatform.command.config.CommandSettings;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** Increments over HTTP: validates the request, sends one command, maps the result. */
@RestController
class CounterController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";
    static final String CLASSIC_COUNTER = "default";

    private final CommandGateway commands;
    private final Duration timeout;
    private final IncrementMetrics metrics;

    CounterController(CommandGateway commands, CommandSettings settings, IncrementMetrics metrics) {
        this.commands = commands;
        this.timeout = settings.commandTimeout();
        this.metrics = metrics;
    }

    @PostMapping(path = "/api/counters/{counterId}/increments", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<IncrementResponse> increment(
            @PathVariable String counterId,
            @RequestBody(required = false) IncrementRequest body,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        long arrived = System.nanoTime();
        CounterRules.requireValidId(counterId);
        long amount = body == null ? 1 : body.amountOrOne();
        IncrementResult result = send(
                new IncrementCounter(counterId, amount, idempotencyKey, IfMatch.expectedVersion(ifMatch)), arrived);
        return respond(result, new IncrementResponse(result.counterId(), result.value(), result.version()));
    }

    @PostMapping(path = "/increment", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ClassicIncrementResponse> classicIncrement(
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        IncrementResult result = send(
                new IncrementCounter(CLASSIC_COUNTER, 1, idempotencyKey, IfMatch.expectedVersion(ifMatch)),
                System.nanoTime());
        return respond(result, new ClassicIncrementResponse(result.value()));
    }

    /** Waits for the answer until the command timeout, counted from the request's arrival. */
    private IncrementResult send(IncrementCounter command, long arrived) {
        Timer.Sample sample = metrics.start();
        try {
            long remaining = timeout.toNanos() - (System.nanoTime() - arrived);
            IncrementResult result = commands.sendAndWait(command, Math.max(remaining, 0), TimeUnit.NANOSECONDS);
            metrics.answered(sample, result.replayed());
            return result;
        } catch (RuntimeException failure) {
            metrics.failed(sample, failure);
            throw failure;
        }
    }

    private static <T> ResponseEntity<T> respond(IncrementResult result, T body) {
        ResponseEntity.BodyBuilder response =
                ResponseEntity.ok().eTag(Long.toString(result.version())); // quoted by Spring
        if (result.replayed()) {
            response.header(IDEMPOTENT_REPLAYED, "true");
        }
        return response.body(body);
    }
}
