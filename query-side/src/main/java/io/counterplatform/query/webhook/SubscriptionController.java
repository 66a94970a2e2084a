package io.counterplatform.query.webhook;

import io.counterplatform.api.counter.CounterRules;
import io.counterplatform.api.counter.InvalidCounterInput;
import io.swagger.v3.oas.annotations.Operation;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Webhook subscriptions and their dead letters. */
@RestController
@RequestMapping("/api/subscriptions")
class SubscriptionController {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final WebhookSubscriptionRepository subscriptions;
    private final DeliveryQueue deliveries;
    private final CallbackTargetPolicy targets;
    private final WebhookDispatcher dispatcher;
    private final EventStore eventStore;

    SubscriptionController(
            WebhookSubscriptionRepository subscriptions,
            DeliveryQueue deliveries,
            CallbackTargetPolicy targets,
            WebhookDispatcher dispatcher,
            EventStore eventStore) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.targets = targets;
        this.dispatcher = dispatcher;
        this.eventStore = eventStore;
    }

    /** The position of the last event stored so far: the subscription receives every event after it. */
    private long streamPosition() {
        TrackingToken head = eventStore.createHeadToken();
        return head == null ? -1 : head.position().orElse(-1);
    }

    @Operation(
            summary =
                    "Subscribe a URL to the changes of one counter (counterId) or of all; the secret is shown only here")
    @PostMapping
    ResponseEntity<SubscriptionCreated> create(@RequestBody CreateSubscription request) {
        targets.check(request.callbackUrl());
        if (request.counterId() != null) {
            CounterRules.requireValidId(request.counterId());
        }
        WebhookSubscription subscription = subscriptions.save(new WebhookSubscription(
                UUID.randomUUID(),
                request.callbackUrl(),
                request.counterId(),
                secretOrNew(request.secret()),
                Instant.now().truncatedTo(ChronoUnit.MICROS),
                streamPosition()));
        return ResponseEntity.created(URI.create("/api/subscriptions/" + subscription.id()))
                .body(subscription.toCreated());
    }

    @Operation(summary = "All subscriptions, oldest first (without secrets)")
    @GetMapping
    List<SubscriptionView> list() {
        return subscriptions.findAllByOrderByCreatedAtAsc().stream()
                .map(WebhookSubscription::toView)
                .toList();
    }

    @Operation(summary = "One subscription (without its secret)")
    @GetMapping("/{id}")
    SubscriptionView one(@PathVariable UUID id) {
        return find(id).toView();
    }

    @Operation(summary = "Unsubscribe: pending deliveries and dead letters go with it")
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        subscriptions.delete(find(id));
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Deliveries that failed every attempt, in counter and version order")
    @GetMapping("/{id}/dead-letters")
    List<DeadLetterView> deadLetters(@PathVariable UUID id) {
        find(id);
        return deliveries.deadLetters(id);
    }

    @Operation(summary = "Deliver the dead letters again, in order, each with a fresh set of attempts")
    @PostMapping("/{id}/dead-letters/redeliver")
    ResponseEntity<Void> redeliver(@PathVariable UUID id) {
        find(id);
        deliveries.redeliver(id);
        dispatcher.wake();
        return ResponseEntity.accepted().build();
    }

    private WebhookSubscription find(UUID id) {
        return subscriptions
                .findById(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no subscription " + id));
    }

    private static String secretOrNew(String secret) {
        if (secret == null) {
            byte[] random = new byte[32];
            RANDOM.nextBytes(random);
            return HexFormat.of().formatHex(random);
        }
        if (secret.isEmpty() || secret.length() > 256) {
            throw new InvalidCounterInput("secret", "must be 1 to 256 characters");
        }
        return secret;
    }
}
