package io.counterplatform.query.replay;

/** One streaming processor as the admin API shows it; {@code replay} is null unless a replay runs. */
record ProjectionView(
        String name, Status status, Long position, Long head, Long lag, boolean replayable, ReplayView replay) {

    enum Status {
        RUNNING,
        REPLAYING,
        STOPPED,
        ERROR
    }
}
