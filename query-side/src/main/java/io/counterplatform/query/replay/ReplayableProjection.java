package io.counterplatform.query.replay;

import java.util.List;
import org.axonframework.eventhandling.EventMessage;

/**
 * A read model that can be rebuilt beside itself: into a shadow table that takes over in one transaction once it
 * has caught up. While a rebuild runs, the live projection writes to the shadow as well (see
 * {@link ProjectionReplays#isReplaying}). Every method runs inside the caller's transaction.
 */
public interface ReplayableProjection {

    /** The processing group whose read model this is. */
    String name();

    /** Creates an empty shadow table, replacing any left by an abandoned rebuild. */
    void createShadow();

    /**
     * Applies a batch of the history to the shadow. The live projection writes to the shadow too, so rows must be
     * written in a fixed order (by key) to never deadlock with it.
     */
    void applyToShadow(List<? extends EventMessage<?>> batch);

    /** Locks both tables, puts the shadow in place of the live table, and drops the old one. */
    void switchToShadow();
}
