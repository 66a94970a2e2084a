package io.counterplatform.command.config;

import static org.axonframework.commandhandling.GenericCommandResultMessage.asCommandResultMessage;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.Registration;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.DefaultInterceptorChain;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;

/**
 * Axon's {@link SimpleCommandBus}, committing the commands that arrive together in one transaction: each keeps its
 * own handler invocation, events, version and answer, and the database sees one insert of all their events and
 * one commit (group commit; Axon 4 has none across commands). No thread of its own: the first waiting caller
 * leads, handles every queued command in one batch on its thread, and hands each caller its result.
 *
 * <p>A batch is all or nothing. If a command in it fails or is refused, or its append loses a race with another
 * instance, the batch rolls back (nothing was stored, and Axon evicts its counters from the cache) and its
 * commands are handled again one by one, each with the outcome it would have had alone. If the store fails, the
 * failure goes to every command of the batch without repeating any: before the commit nothing was stored, and
 * during the commit the outcome is unknown. Their clients retry with their idempotency keys, which the store
 * then answers.
 */
final class GroupCommitCommandBus extends SimpleCommandBus {

    private final TransactionManager transactionManager;
    private final CommandBusSpanFactory spans;
    private final int maxBatch;
    private final List<MessageHandlerInterceptor<? super CommandMessage<?>>> interceptors =
            new CopyOnWriteArrayList<>();
    /**
     * The commands waiting to be batched, in arrival order, and the lock their leading caller holds. (One queue:
     * several, by counter, were measured to commit smaller batches more often and gain nothing on a cold cache.)
     */
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();

    private final ReentrantLock leader = new ReentrantLock();
    private final LostAppendRace lostRace = new LostAppendRace();
    private final DistributionSummary batchSizes;

    GroupCommitCommandBus(
            Builder builder,
            TransactionManager transactionManager,
            CommandBusSpanFactory spans,
            int maxBatch,
            MeterRegistry meters) {
        super(builder.transactionManager(transactionManager).spanFactory(spans));
        this.transactionManager = transactionManager;
        this.spans = spans;
        this.maxBatch = maxBatch;
        this.batchSizes = DistributionSummary.builder("counter.commands.batch.size")
                .description("commands committed together in one transaction")
                .register(meters);
        meters.gauge("counter.commands.queued", this, GroupCommitCommandBus::queued);
    }

    @Override
    public Registration registerHandlerInterceptor(MessageHandlerInterceptor<? super CommandMessage<?>> interceptor) {
        interceptors.add(interceptor);
        Registration registration = super.registerHandlerInterceptor(interceptor);
        return () -> interceptors.remove(interceptor) && registration.cancel();
    }

    @Override
    protected <C, R> void handle(
            CommandMessage<C> command,
            MessageHandler<? super CommandMessage<?>> handler,
            CommandCallback<? super C, ? super R> callback) {
        Pending pending = new Pending(command, handler, callback);
        queue.add(pending);
        while (!pending.done) {
            if (leader.tryLock()) {
                try {
                    // lead until this caller's own command is done, then hand over, so no caller waits for others
                    while (!pending.done) {
                        List<Pending> batch = drain();
                        if (batch.isEmpty()) {
                            break;
                        }
                        commit(batch);
                    }
                } finally {
                    leader.unlock();
                }
                Pending waiting = queue.peek();
                if (waiting != null) {
                    waiting.wakeUp();
                }
            } else {
                pending.awaitTurn();
            }
        }
    }

    /** Commands waiting for a batch. */
    int queued() {
        return queue.size();
    }

    private void commit(List<Pending> batch) {
        batchSizes.record(batch.size());
        try {
            if (batch.size() == 1) {
                alone(batch.get(0));
            } else {
                together(batch);
            }
        } catch (RuntimeException | Error unexpected) {
            // nothing may leave a caller waiting: whatever escaped is every unfinished command's answer
            batch.stream()
                    .filter(pending -> !pending.done)
                    .forEach(pending -> pending.complete(asCommandResultMessage(unexpected)));
        }
    }

    private void together(List<Pending> batch) {
        BatchingUnitOfWork<CommandMessage<?>> unitOfWork = new BatchingUnitOfWork<>(batch.stream()
                .<CommandMessage<?>>map(pending -> pending.command)
                .toList());
        unitOfWork.attachTransaction(transactionManager);
        AtomicBoolean committing = new AtomicBoolean();
        // commit handlers run in reverse order: this one runs just before the transaction's own commit
        unitOfWork.onCommit(committed -> committing.set(true));
        AtomicBoolean handlerFailed = new AtomicBoolean();
        Object[] results = new Object[batch.size()];
        AtomicInteger next = new AtomicInteger();
        ResultMessage<?> outcome = unitOfWork.executeWithResult(
                () -> {
                    int index = next.getAndIncrement();
                    Pending pending = batch.get(index);
                    try {
                        // each command in its own span, from its own metadata: its events carry its caller's trace
                        results[index] = spans.createHandleCommandSpan(pending.command, false)
                                .runCallable(
                                        new DefaultInterceptorChain<>(unitOfWork, interceptors, pending.handler)
                                                ::proceed);
                        return results[index];
                    } catch (Exception | Error failure) {
                        handlerFailed.set(true);
                        throw failure;
                    }
                },
                RollbackConfigurationType.ANY_THROWABLE);
        if (!outcome.isExceptional()) {
            for (int index = 0; index < batch.size(); index++) {
                batch.get(index).complete(asCommandResultMessage(results[index]));
            }
        } else if (handlerFailed.get() || !committing.get() && lostRace.isLostRace(outcome.exceptionResult())) {
            // a command failed or lost an append race: nothing was stored, so each is handled again alone
            batch.forEach(this::alone);
        } else {
            // the store failed (nothing stored) or the commit did (outcome unknown): no command may be repeated
            batch.forEach(pending -> pending.complete(asCommandResultMessage(outcome.exceptionResult())));
        }
    }

    private List<Pending> drain() {
        List<Pending> batch = new ArrayList<>();
        for (Pending next = queue.poll(); next != null; next = batch.size() < maxBatch ? queue.poll() : null) {
            batch.add(next);
        }
        return batch;
    }

    private void alone(Pending pending) {
        super.handle(pending.command, pending.handler, pending.callback);
        pending.markDone();
    }

    /** A command waiting for its batch, and the caller waiting for its answer. */
    private static final class Pending {

        private final CommandMessage<?> command;
        private final MessageHandler<? super CommandMessage<?>> handler;

        @SuppressWarnings("rawtypes")
        private final CommandCallback callback;

        private final Thread caller = Thread.currentThread();
        private volatile boolean done;

        private Pending(
                CommandMessage<?> command,
                MessageHandler<? super CommandMessage<?>> handler,
                CommandCallback<?, ?> callback) {
            this.command = command;
            this.handler = handler;
            this.callback = callback;
        }

        @SuppressWarnings("unchecked")
        private void complete(CommandResultMessage<?> result) {
            callback.onResult(command, result);
            markDone();
        }

        private void markDone() {
            done = true;
            wakeUp();
        }

        /**
         * Until the leader is done with this command or wakes this caller to lead (a leader that stops wakes the
         * oldest waiting caller); the time limit only bounds a missed wake-up.
         */
        private void awaitTurn() {
            LockSupport.parkNanos(this, 50_000_000);
        }

        private void wakeUp() {
            LockSupport.unpark(caller);
        }
    }
}
