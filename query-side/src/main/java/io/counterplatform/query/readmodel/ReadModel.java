package io.counterplatform.query.readmodel;

import java.util.function.Consumer;
import java.util.function.Supplier;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * A read model built by versions. Version n writes the table {@code <view>_<n>} and is fed by the processing group
 * {@code <name>-<n>}, from the first event on; readers query the view, which shows the live version.
 */
public interface ReadModel {

    /** The model's name in the admin API, e.g. {@code counter-summary}; its view is named with underscores. */
    String name();

    /** A new event handler writing to the version's table. */
    Object projection(ReadModelVersion version);

    /**
     * Runs in the transaction that moves the view from one version to the next, with writes to both tables held:
     * what readers of the old version must learn of the new one.
     */
    default void switching(ReadModelVersion from, ReadModelVersion to) {}

    /**
     * A handler's state for the processor's batch, made at its first event and given to {@code write} as the batch
     * commits, in the transaction that stores the processor's token.
     */
    static <T> T perBatch(String key, Supplier<T> create, Consumer<T> write) {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        return batch.getOrComputeResource(key, absent -> {
            T state = create.get();
            batch.onPrepareCommit(committing -> write.accept(state));
            return state;
        });
    }
}
