package io.counterplatform.query.replay;

/** One streaming processor as the admin API shows it; {@code replay} is null unless a rebuild runs. */
record ProjectionView(
        String name, String status, Long position, Long head, Long lag, boolean replayable, ReplayView replay) {}
