package io.counterplatform.query.webhook;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

interface WebhookSubscriptionRepository extends JpaRepository<WebhookSubscription, UUID> {

    List<WebhookSubscription> findAllByOrderByCreatedAtAsc();

    List<WebhookSubscription> findByOwnerOrderByCreatedAtAsc(String owner);

    long countByOwner(String owner);

    /**
     * Saves the subscription unless its owner holds {@code max} already. One creation per owner at a time (a
     * transaction-scoped advisory lock), so the count it checks is the count it adds to.
     */
    @Transactional
    default Optional<WebhookSubscription> saveWithin(int max, WebhookSubscription subscription) {
        lockCreationsOf(subscription.owner());
        return countByOwner(subscription.owner()) < max ? Optional.of(save(subscription)) : Optional.empty();
    }

    @Query(
            value = "SELECT CAST(pg_advisory_xact_lock(hashtext('webhook-subscriptions/' || :owner)) AS text)",
            nativeQuery = true)
    String lockCreationsOf(@Param("owner") String owner);
}
