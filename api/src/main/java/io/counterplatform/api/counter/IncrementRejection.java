package io.counterplatform.api.counter;

/**
 * Why the aggregate refused an {@link IncrementCounter}; travels as the details of a command failure, so it
 * survives a hop through Axon Server.
 */
public record IncrementRejection(Reason reason, String detail, long currentVersion) {

    public enum Reason {
        VERSION_MISMATCH,
        IDEMPOTENCY_KEY_REUSED,
        OVERFLOW,
        /** The key's first use cannot be looked up now: nothing is appended, rather than perhaps a second event. */
        IDEMPOTENCY_KEYS_UNAVAILABLE
    }
}
