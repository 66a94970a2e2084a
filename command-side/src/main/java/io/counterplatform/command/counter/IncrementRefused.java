package io.counterplatform.command.counter;

import io.counterplatform.api.counter.IncrementRejection;

/** The aggregate refused an increment; nothing was appended. */
class IncrementRefused extends RuntimeException {

    private final IncrementRejection rejection;

    IncrementRefused(IncrementRejection.Reason reason, String detail, long currentVersion) {
        super(detail);
        this.rejection = new IncrementRejection(reason, detail, currentVersion);
    }

    IncrementRejection rejection() {
        return rejection;
    }
}
