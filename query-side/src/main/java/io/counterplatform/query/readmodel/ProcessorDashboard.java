package io.counterplatform.query.readmodel;

import org.axonframework.eventhandling.StreamingEventProcessor;

/**
 * Where operators see and steer processors: with Axon Server, its dashboard, which the connector fills with the
 * processors configured at start-up only, so a version's processor built later is shown there by hand.
 */
@FunctionalInterface
interface ProcessorDashboard {

    /** Shows the processor, with the dashboard's controls over it; the answer hides it again. */
    Runnable show(StreamingEventProcessor processor);
}
