package io.counterplatform.query.webhook;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface WebhookSubscriptionRepository extends JpaRepository<WebhookSubscription, UUID> {

    List<WebhookSubscription> findAllByOrderByCreatedAtAsc();

    List<WebhookSubscription> findByOwnerOrderByCreatedAtAsc(String owner);

    long countByOwner(String owner);
}
