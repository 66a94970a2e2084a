package io.counterplatform.support.history;

import java.util.List;
import org.axonframework.eventhandling.DomainEventMessage;

/**
 * Reads a bounded slice of one counter's events from the event store, and closes whatever it opened: an event
 * store stream left half-read would hold a connection (Axon Server) for as long as nobody reads it.
 */
public interface CounterEventReader {

    /** The counter's events with sequence numbers {@code from} to {@code to}, both included, in order. */
    List<DomainEventMessage<?>> read(String counterId, long from, long to);
}
