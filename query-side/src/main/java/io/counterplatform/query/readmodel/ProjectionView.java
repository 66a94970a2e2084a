package io.counterplatform.query.readmodel;

/**
 * One streaming processor as the admin API shows it: {@code lag} in events and {@code lagMillis} (how long the
 * oldest event it has not handled has waited); {@code replay} is null unless a replay runs.
 */
record ProjectionView(
        String name,
        Status status,
        Long position,
        Long head,
        Long lag,
        Long lagMillis,
        boolean replayable,
        ReplayView replay) {

    enum Status {
        RUNNING,
        REPLAYING,
        STOPPED,
        ERROR
    }
}
