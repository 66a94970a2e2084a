package io.counterplatform.command.counter;

import io.counterplatform.api.counter.IncrementRejection;
import org.axonframework.commandhandling.CommandExecutionException;

/**
 * The aggregate refused an increment; nothing was appended. Exception types do not survive a hop through Axon
 * Server, a {@link CommandExecutionException}'s details do: they carry the {@code IncrementRejection}. A refusal is
 * an answer, not a fault, so it has no stack trace.
 */
class IncrementRefused extends CommandExecutionException {

    IncrementRefused(IncrementRejection.Reason reason, String detail, long currentVersion) {
        super(detail, null, new IncrementRejection(reason, detail, currentVersion), false);
    }

    IncrementRejection rejection() {
        return this.<IncrementRejection>getDetails().orElseThrow();
    }
}
