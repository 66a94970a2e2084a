package io.counterplatform.command.config;

import static org.axonframework.commandhandling.GenericCommandResultMessage.asCommandResultMessage;

import io.axoniq.axonserver.connector.event.AppendEventsTransaction;
import io.counterplatform.api.counter.IncrementRejection;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.ExceptionUtils;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.DefaultInterceptorChain;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.task.TaskExecutor;

/**
 * Axon's {@link SimpleCommandBus}, committing the commands that wait together in one transaction (group commit; Axon
 * 4 has none across commands). Each command joins a bounded queue (when it is full the command is refused at once),
 * and the committer thread commits one batch at a time, while commands wait. A command's caller only waits for its
 * answer, so a store that answers slowly cannot hold a request past its time limit. A batch is one unit of work and
 * one transaction; each of its commands keeps its own handler invocation, span, events and answer. Before its
 * commands are handled, {@code beforeEachBatch} is given the unit in its transaction, to read what they all need at
 * once. PostgreSQL sees one insert of all its events and one commit, Axon Server one append.
 *
 * <ul>
 *   <li>A refusal is its own command's answer: it changed nothing, and the others commit.
 *   <li>A lost append race stored nothing: the whole batch is handled again, up to {@code command-retries} times,
 *       while its oldest command has waited less than the command timeout (after it, its caller has had its answer).
 *   <li>Any other failure, an {@link Error} included, rolls the transaction back (explicitly: Axon's own rollback
 *       skips an Error thrown as the unit commits, and after one the aggregate cache is emptied too) and is the
 *       answer of every command of the batch.
 *   <li>A command that waited longer than the command timeout is not handled: its caller has had its answer.
 * </ul>
 *
 * Every command's callback is completed exactly once, and no command is left in the queue: whoever stops committing
 * looks at the queue afterwards.
 */
final class GroupCommitCommandBus extends SimpleCommandBus {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitCommandBus.class);

    private final TransactionManager transactionManager;
    private final Cache aggregates;
    private final TaskExecutor committer;
    private final int maxBatch;
    private final int retries;
    private final long maxWaitNanos;
    private final BlockingQueue<Pending> queue;
    private final ReentrantLock committing = new ReentrantLock();
    private final List<MessageHandlerInterceptor<? super CommandMessage<?>>> interceptors =
            new CopyOnWriteArrayList<>();
    private final CommandBusSpanFactory spans;
    private final Consumer<BatchingUnitOfWork<CommandMessage<?>>> beforeEachBatch;
    private final AtomicBoolean handedOver = new AtomicBoolean();
    private final DistributionSummary batchSizes;
    private volatile long batchStartedNanos;

    GroupCommitCommandBus(
            Builder builder,
            CommandBusSpanFactory spans,
            TransactionManager transactionManager,
            Cache aggregates,
            TaskExecutor committer,
            CommandSettings settings,
            MeterRegistry meters,
            Consumer<BatchingUnitOfWork<CommandMessage<?>>> beforeEachBatch) {
        super(builder.spanFactory(spans));
        this.spans = spans;
        this.beforeEachBatch = beforeEachBatch;
        this.transactionManager = transactionManager;
        this.aggregates = aggregates;
        this.committer = committer;
        this.maxBatch = settings.groupCommit().maxBatch();
        this.retries = settings.commandRetries();
        this.maxWaitNanos = settings.commandTimeout().toNanos();
        this.queue = new ArrayBlockingQueue<>(settings.groupCommit().maxQueued());
        this.batchSizes = DistributionSummary.builder("counter.commands.batch.size")
                .description("commands committed together in one transaction")
                .register(meters);
        meters.gauge("counter.commands.queued", queue, BlockingQueue::size);
    }

    @Override
    protected <C, R> void handle(
            CommandMessage<C> command,
            MessageHandler<? super CommandMessage<?>> handler,
            CommandCallback<? super C, ? super R> callback) {
        Pending pending = new Pending(command, handler, callback);
        if (!queue.offer(pending)) {
            pending.complete(asCommandResultMessage(
                    new CommandExecutionException("too many increments are waiting; retry shortly", null)));
            return;
        }
        handOverIfWaiting();
    }

    @Override
    public Registration registerHandlerInterceptor(MessageHandlerInterceptor<? super CommandMessage<?>> interceptor) {
        interceptors.add(interceptor);
        Registration registration = super.registerHandlerInterceptor(interceptor);
        return () -> interceptors.remove(interceptor) && registration.cancel();
    }

    /** Commands waiting for their batch. */
    int queued() {
        return queue.size();
    }

    /** How long the batch being committed has taken so far; zero when none is. */
    Duration busyFor() {
        long started = batchStartedNanos;
        return started == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - started);
    }

    /** Commands wait, and nobody commits: the committer thread takes over (once, however many ask). */
    private void handOverIfWaiting() {
        if (!queue.isEmpty() && !committing.isLocked() && handedOver.compareAndSet(false, true)) {
            try {
                committer.execute(this::commitWhileWaiting);
            } catch (RuntimeException | Error notStarted) { // shut down, or no thread to be had: this one commits
                commitWhileWaiting();
            }
        }
    }

    /** The committer thread's turn: batches while commands wait and no other thread commits. */
    private void commitWhileWaiting() {
        handedOver.set(false);
        while (!queue.isEmpty() && committing.tryLock()) {
            try {
                commitNextBatch();
            } finally {
                committing.unlock();
            }
        }
        handOverIfWaiting();
    }

    private void commitNextBatch() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        takeWaiting(batch);
        if (batch.isEmpty()) {
            return;
        }
        batchStartedNanos = System.nanoTime();
        try {
            Throwable failure = forgetIfError(attempt(batch));
            for (int retry = 0;
                    failure != null
                            && retry < retries
                            && LostAppendRace.isLostRace(failure)
                            && System.nanoTime() - batch.get(0).queuedAt < maxWaitNanos;
                    retry++) {
                failure = forgetIfError(attempt(batch));
            }
            batchSizes.record(batch.size());
            for (Pending pending : batch) {
                pending.complete(failure == null ? pending.result : notCommitted(failure));
            }
        } catch (Throwable unexpected) { // nothing may leave a caller waiting
            log.error("Group commit failed unexpectedly", unexpected);
            batch.forEach(pending -> pending.complete(notCommitted(unexpected)));
        } finally {
            batchStartedNanos = 0;
        }
    }

    /** Handles and commits the batch once: {@code null} if it committed, else why nothing of it was committed. */
    private Throwable attempt(List<Pending> batch) {
        Transaction transaction;
        try {
            transaction = transactionManager.startTransaction();
        } catch (RuntimeException | Error unavailable) {
            return unavailable;
        }
        AtomicBoolean open = new AtomicBoolean(true);
        BatchingUnitOfWork<CommandMessage<?>> unit = new BatchingUnitOfWork<>(batch.stream()
                .<CommandMessage<?>>map(pending -> pending.command)
                .toList());
        // commit handlers run in reverse order: the transaction's commits last, after every other's
        unit.onCommit(committing -> {
            open.set(false);
            transaction.commit();
        });
        unit.onRollback(rollingBack -> rollBack(transaction, open));
        int[] next = {0};
        try {
            beforeEachBatch.accept(unit);
            ResultMessage<?> outcome = unit.executeWithResult(
                    () -> {
                        Pending pending = batch.get(next[0]++);
                        try {
                            // each command in its own span, from its own metadata: its events carry its caller's trace
                            pending.result =
                                    asCommandResultMessage(spans.createHandleCommandSpan(pending.command, false)
                                            .runCallable(new DefaultInterceptorChain<>(
                                                    unit, interceptors, pending.handler)::proceed));
                        } catch (Exception | Error failure) {
                            pending.result = asCommandResultMessage(failure);
                            throw failure;
                        }
                        return null;
                    },
                    failure -> !isRefusal(failure));
            return outcome.isExceptional() && !isRefusal(outcome.exceptionResult()) ? outcome.exceptionResult() : null;
        } catch (Throwable escaped) { // a failed read before the unit started, or an Error thrown as it committed
            abandonAppends(unit);
            return escaped;
        } finally {
            rollBack(transaction, open); // whatever happened, no transaction outlives its batch
        }
    }

    /** Adds the commands waiting now to the batch, up to its limit; those that waited too long are answered. */
    private void takeWaiting(List<Pending> batch) {
        List<Pending> waiting = new ArrayList<>();
        queue.drainTo(waiting, maxBatch - batch.size());
        for (Pending pending : waiting) {
            if (System.nanoTime() - pending.queuedAt > maxWaitNanos) {
                pending.complete(notCommitted(new IllegalStateException("waited past the command timeout")));
            } else {
                batch.add(pending);
            }
        }
    }

    /**
     * An Error skips Axon's rollback handlers, the ones that evict from the cache what an uncommitted unit changed:
     * after one, nothing cached can be trusted to be committed state, so nothing stays cached.
     */
    private Throwable forgetIfError(Throwable failure) {
        if (failure != null
                && ExceptionUtils.findException(failure, Error.class).isPresent()) {
            aggregates.removeAll();
        }
        return failure;
    }

    /** An append to Axon Server the unit opened, whose rollback Axon did not run: closed, so it stores nothing. */
    private static void abandonAppends(UnitOfWork<?> unit) {
        unit.resources().values().stream()
                .filter(AppendEventsTransaction.class::isInstance)
                .map(AppendEventsTransaction.class::cast)
                .forEach(append -> {
                    try {
                        append.rollback();
                    } catch (RuntimeException alreadyClosed) {
                        log.debug("Append already closed: {}", alreadyClosed.toString());
                    }
                });
    }

    private static void rollBack(Transaction transaction, AtomicBoolean open) {
        if (open.compareAndSet(true, false)) {
            try {
                transaction.rollback();
            } catch (RuntimeException | Error failed) {
                log.warn("Rollback of a batch failed: {}", failed.toString());
            }
        }
    }

    private static boolean isRefusal(Throwable failure) {
        return failure instanceof CommandExecutionException execution
                && execution.getDetails().orElse(null) instanceof IncrementRejection;
    }

    private static CommandResultMessage<?> notCommitted(Throwable cause) {
        return asCommandResultMessage(
                new CommandExecutionException("the increment was not committed; retry it with its key", cause));
    }

    /** A command waiting for its batch, and its caller's callback. */
    private static final class Pending {

        private final CommandMessage<?> command;
        private final MessageHandler<? super CommandMessage<?>> handler;

        @SuppressWarnings("rawtypes")
        private final CommandCallback callback;

        private final long queuedAt = System.nanoTime();
        private final AtomicBoolean completed = new AtomicBoolean();
        private CommandResultMessage<?> result;

        private Pending(
                CommandMessage<?> command,
                MessageHandler<? super CommandMessage<?>> handler,
                CommandCallback<?, ?> callback) {
            this.command = command;
            this.handler = handler;
            this.callback = callback;
        }

        @SuppressWarnings("unchecked")
        private void complete(CommandResultMessage<?> answer) {
            if (completed.compareAndSet(false, true)) {
                try {
                    callback.onResult(command, answer);
                } catch (RuntimeException | Error failed) {
                    log.warn("A command's callback failed: {}", failed.toString());
                }
            }
        }
    }
}
