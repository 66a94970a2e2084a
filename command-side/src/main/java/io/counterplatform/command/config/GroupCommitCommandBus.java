package io.counterplatform.command.config;

import static org.axonframework.commandhandling.GenericCommandResultMessage.asCommandResultMessage;

import io.counterplatform.api.counter.IncrementRejection;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.ExceptionUtils;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskExecutor;

/**
 * Axon's {@link SimpleCommandBus}, committing the commands that wait together in one transaction (group commit; Axon
 * 4 has none across commands). A command waits in a bounded queue (when it is full the command is refused at once);
 * one committer thread takes what has queued, up to a batch, and handles each command as Axon does, in a unit of
 * work of its own nested in the batch's, which owns the transaction: PostgreSQL sees one insert of all the batch's
 * events and one commit, Axon Server one append.
 *
 * <ul>
 *   <li>A refusal rolls back only its own command's unit of work; the others commit.
 *   <li>A lost append race stored nothing: the whole batch is handled again, up to {@code command-retries} times.
 *   <li>Any other failure, an {@link Error} included, rolls the transaction back (explicitly: Axon's own rollback
 *       skips an Error thrown as the unit commits, and after one the aggregate cache is emptied too) and is the
 *       answer of every command of the batch.
 *   <li>A command that waited longer than the command timeout is not handled: its caller has had its answer.
 * </ul>
 *
 * Every command's callback is completed exactly once.
 */
final class GroupCommitCommandBus extends SimpleCommandBus implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitCommandBus.class);

    private final TransactionManager transactionManager;
    private final Cache aggregates;
    private final TaskExecutor committer;
    private final int maxBatch;
    private final int retries;
    private final long maxWaitNanos;
    private final BlockingQueue<Pending> queue;
    private final DistributionSummary batchSizes;
    private volatile boolean running;
    private volatile long batchStartedNanos;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    GroupCommitCommandBus(
            Builder builder,
            TransactionManager transactionManager,
            Cache aggregates,
            TaskExecutor committer,
            CommandSettings settings,
            MeterRegistry meters) {
        super(builder);
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
        if (!running || !queue.offer(pending)) {
            pending.complete(asCommandResultMessage(
                    new CommandExecutionException("too many increments are waiting; retry shortly", null)));
        }
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

    /** The one loop of the command side's own: Axon 4 has no group commit to configure. */
    private void commitUntilStopped() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        try {
            while (running || !queue.isEmpty()) {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                try {
                    commit(batch);
                } catch (Throwable unexpected) { // nothing may leave a caller waiting or stop the loop
                    log.error("Group commit failed unexpectedly", unexpected);
                    batch.forEach(pending -> pending.complete(notCommitted(unexpected)));
                }
                batch.clear();
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } finally {
            running = false;
            queue.forEach(pending -> pending.complete(notCommitted(new IllegalStateException("shutting down"))));
            stopped.complete(null);
        }
    }

    private void commit(List<Pending> waited) {
        List<Pending> batch = new ArrayList<>(waited.size());
        for (Pending pending : waited) {
            if (System.nanoTime() - pending.queuedAt > maxWaitNanos) {
                pending.complete(notCommitted(new IllegalStateException("waited past the command timeout")));
            } else {
                batch.add(pending);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        batchSizes.record(batch.size());
        batchStartedNanos = System.nanoTime();
        try {
            Throwable failure = forgetIfError(attempt(batch));
            for (int retry = 0; failure != null && retry < retries && LostAppendRace.isLostRace(failure); retry++) {
                failure = forgetIfError(attempt(batch));
            }
            for (Pending pending : batch) {
                pending.complete(failure == null ? pending.result : notCommitted(failure));
            }
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
            ResultMessage<?> outcome = unit.executeWithResult(
                    () -> {
                        Pending pending = batch.get(next[0]++);
                        // Axon's own handling: a nested unit of work, the handler interceptors, the command's span
                        super.handle(pending.command, pending.handler, (command, result) -> pending.result = result);
                        if (pending.result.isExceptional() && !isRefusal(pending.result.exceptionResult())) {
                            throw asException(pending.result.exceptionResult());
                        }
                        return null;
                    },
                    RollbackConfigurationType.ANY_THROWABLE);
            return outcome.isExceptional() ? outcome.exceptionResult() : null;
        } catch (Throwable escaped) { // an Error thrown as the unit committed, past Axon's rollback
            return escaped;
        } finally {
            rollBack(transaction, open); // whatever happened, no transaction outlives its batch
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

    private static Exception asException(Throwable failure) {
        if (failure instanceof Error error) {
            throw error;
        }
        return (Exception) failure;
    }

    private static CommandResultMessage<?> notCommitted(Throwable cause) {
        return asCommandResultMessage(
                new CommandExecutionException("the increment was not committed; retry it with its key", cause));
    }

    @Override
    public void start() {
        running = true;
        committer.execute(this::commitUntilStopped);
    }

    /** Stops taking new commands, and reports once every queued one has been answered. */
    @Override
    public void stop(Runnable callback) {
        running = false;
        stopped.thenRun(callback);
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the web server has answered its requests in flight, whose commands need the committer. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
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
