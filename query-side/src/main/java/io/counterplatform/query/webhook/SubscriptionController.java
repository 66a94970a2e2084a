package io.counterplatform.query.webhook;

import io.counterplatform.api.counter.CounterRules;
import io.counterplatform.support.problem.Refusal;
import io.counterplatform.support.security.Caller;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Webhook subscriptions and their dead letters. */
@RestController
@RequestMapping("/api/subscriptions")
class SubscriptionController {

    /** How long a replaced secret keeps signing deliveries, so that subscribers can switch without a gap. */
    private static final Duration ROTATION_OVERLAP = Duration.ofHours(24);

    private final WebhookSubscriptions subscriptions;
    private final DeliveryState deliveries;
    private final CallbackTargetPolicy targets;
    private final WebhookDispatcher dispatcher;
    private final EventStore eventStore;
    private final int maxPerKey;

    SubscriptionController(
            WebhookSubscriptions subscriptions,
            DeliveryState deliveries,
            CallbackTargetPolicy targets,
            WebhookDispatcher dispatcher,
            EventStore eventStore,
            WebhookSettings settings) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.targets = targets;
        this.dispatcher = dispatcher;
        this.eventStore = eventStore;
        this.maxPerKey = settings.maxSubscriptionsPerKey();
    }

    @PostMapping
    ResponseEntity<SubscriptionCreated> create(
            @RequestBody CreateSubscription request, @AuthenticationPrincipal Caller caller) {
        // the request's own rules first: a bad request reaches neither the database nor a name server
        CallbackTargetPolicy.parse(request.callbackUrl());
        if (request.counterId() != null) {
            CounterRules.requireValidId(request.counterId());
        }
        String secret = secretOrNew(request.secret());
        if (subscriptions.countByOwner(caller.name()) >= maxPerKey) {
            throw tooMany(); // before the callback's name is looked up
        }
        targets.check(request.callbackUrl());
        // the events stored so far: the subscription receives every event after them
        TrackingToken cursor = subscriptions.startingCursor(eventStore.createHeadToken());
        WebhookSubscription subscription = subscriptions
                .saveWithin(
                        maxPerKey,
                        new WebhookSubscription(
                                UUID.randomUUID(),
                                request.callbackUrl(),
                                request.counterId(),
                                secret,
                                Instant.now().truncatedTo(ChronoUnit.MICROS),
                                WebhookSubscriptions.lastPlaceBefore(cursor),
                                caller.name(),
                                WebhookSubscription.Health.NEW),
                        cursor)
                .orElseThrow(this::tooMany);
        return ResponseEntity.created(URI.create("/api/subscriptions/" + subscription.id()))
                .body(subscription.toCreated());
    }

    private Refusal tooMany() {
        return new Refusal(
                HttpStatus.TOO_MANY_REQUESTS,
                "too-many-requests",
                "this key has " + maxPerKey + " subscriptions already; delete one first");
    }

    @GetMapping
    List<SubscriptionView> list(@AuthenticationPrincipal Caller caller) {
        return (caller.admin() ? subscriptions.all() : subscriptions.ownedBy(caller.name()))
                .stream().map(WebhookSubscription::toView).toList();
    }

    @GetMapping("/{id}")
    SubscriptionView one(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        return find(id, caller).toView();
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        subscriptions.delete(find(id, caller).id());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{id}/dead-letters")
    List<DeadLetterView> deadLetters(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        find(id, caller);
        return deliveries.deadLetters(id);
    }

    @PostMapping("/{id}/dead-letters/redeliver")
    ResponseEntity<Void> redeliver(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        find(id, caller);
        deliveries.redeliver(id);
        dispatcher.wake();
        return ResponseEntity.accepted().build();
    }

    @PostMapping("/{id}/enable")
    SubscriptionView enable(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        if (!deliveries.enable(find(id, caller).id())) {
            find(id, caller); // a 404 if deleted since it was found
            throw new Refusal(HttpStatus.CONFLICT, "conflict", "subscription " + id + " is not disabled");
        }
        dispatcher.wake();
        return find(id, caller).toView();
    }

    @PostMapping("/{id}/secret")
    NewSecret rotateSecret(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        String secret = WebhookSecrets.generate();
        if (!subscriptions.rotateSecret(find(id, caller).id(), secret, ROTATION_OVERLAP)) {
            throw notFound(id); // deleted since it was found
        }
        return new NewSecret(secret);
    }

    /** Another client's subscription is answered as if it did not exist. */
    private WebhookSubscription find(UUID id, Caller caller) {
        return subscriptions
                .find(id)
                .filter(subscription -> caller.owns(subscription.owner()))
                .orElseThrow(() -> notFound(id));
    }

    private static Refusal notFound(UUID id) {
        return new Refusal(HttpStatus.NOT_FOUND, "not-found", "no subscription " + id);
    }

    private static String secretOrNew(String secret) {
        return secret == null ? WebhookSecrets.generate() : WebhookSecrets.requireValid(secret);
    }

    /** The body of {@code POST /api/subscriptions}; without a counter id, every counter is meant. */
    record CreateSubscription(String callbackUrl, String counterId, String secret) {}

    /** The answer to a rotation: the subscription's new secret, shown only here. */
    record NewSecret(String secret) {}
}
