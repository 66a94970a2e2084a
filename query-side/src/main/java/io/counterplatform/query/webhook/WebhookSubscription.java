package io.counterplatform.query.webhook;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import java.time.Instant;
import java.util.UUID;

/** Someone who wants every change of one counter, or of all counters, POSTed to their URL. */
@Entity
class WebhookSubscription {

    @Id
    private UUID id;

    private String callbackUrl;

    private String counterId;

    private String secret;

    private Instant createdAt;

    private long afterPosition;

    private String owner;

    protected WebhookSubscription() {
        // for JPA
    }

    WebhookSubscription(
            UUID id,
            String callbackUrl,
            String counterId,
            String secret,
            Instant createdAt,
            long afterPosition,
            String owner) {
        this.id = id;
        this.callbackUrl = callbackUrl;
        this.counterId = counterId;
        this.secret = secret;
        this.createdAt = createdAt;
        this.afterPosition = afterPosition;
        this.owner = owner;
    }

    String owner() {
        return owner;
    }

    UUID id() {
        return id;
    }

    SubscriptionView toView() {
        return new SubscriptionView(id, callbackUrl, counterId, createdAt);
    }

    SubscriptionCreated toCreated() {
        return new SubscriptionCreated(id, callbackUrl, counterId, secret, createdAt);
    }
}
