package io.counterplatform.command.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.commandhandling.GenericCommandMessage.asCommandMessage;

import io.counterplatform.api.counter.IncrementRejection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.DefaultCommandBusSpanFactory;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.callbacks.FutureCallback;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.tracing.opentelemetry.OpenTelemetrySpanFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Commands that wait together share one transaction, and each gets the answer that belongs to it: its result, its
 * own refusal, or, when the batch does not commit, a failure. The first command holds the committer thread until the
 * rest have queued behind it; the committer then commits those together, so each batch is known in advance.
 */
class GroupCommitCommandBusTest {

    private final Transactions transactions = new Transactions();
    private final Map<String, AtomicInteger> invocations = new ConcurrentHashMap<>();
    private final CountDownLatch firstHandled = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final Tracer tracer = SdkTracerProvider.builder().build().get("test");
    private final Map<String, String> sentInTrace = new ConcurrentHashMap<>();
    private final Map<String, String> handledInTrace = new ConcurrentHashMap<>();
    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    private final Cache cache = new WeakReferenceCache();
    private final ThreadPoolTaskExecutor committer = new ThreadPoolTaskExecutor(); // one thread, as in the service
    private GroupCommitCommandBus bus;

    private void start(int maxQueued, Duration commandTimeout) {
        committer.setCorePoolSize(1);
        committer.setMaxPoolSize(1);
        committer.initialize();
        OpenTelemetrySpanFactory spans = OpenTelemetrySpanFactory.builder()
                .tracer(tracer)
                .contextPropagators(W3CTraceContextPropagator.getInstance())
                .build();
        bus = new GroupCommitCommandBus(
                SimpleCommandBus.builder(),
                DefaultCommandBusSpanFactory.builder().spanFactory(spans).build(),
                transactions,
                cache,
                committer,
                new CommandSettings(
                        commandTimeout,
                        1000,
                        3,
                        new CommandSettings.Cache(1),
                        new CommandSettings.GroupCommit(64, maxQueued),
                        new CommandSettings.Idempotency(Duration.ofHours(24)),
                        new CommandSettings.Cors(List.of())),
                new SimpleMeterRegistry(),
                batch -> {});
        bus.subscribe(String.class.getName(), command -> {
            String payload = (String) command.getPayload();
            handledInTrace.put(payload, Span.current().getSpanContext().getTraceId());
            invocations.computeIfAbsent(payload, p -> new AtomicInteger()).incrementAndGet();
            if (payload.equals("first")) {
                firstHandled.countDown();
                release.await();
            }
            if (payload.startsWith("refused")) {
                throw new CommandExecutionException(
                        "refused",
                        null,
                        new IncrementRejection(IncrementRejection.Reason.VERSION_MISMATCH, "refused", 1));
            }
            if (payload.startsWith("broken")) {
                throw new IllegalStateException("a handler failed");
            }
            if (payload.startsWith("store-down")) {
                CurrentUnitOfWork.get().onPrepareCommit(u -> {
                    throw new IllegalStateException("connection refused");
                });
            }
            if (payload.startsWith("lost-race") && failedOnce.add(payload)) {
                CurrentUnitOfWork.get().onPrepareCommit(u -> {
                    throw new ConcurrencyException("sequence number taken by another instance");
                });
            }
            if (payload.startsWith("slow-lost-race")) {
                Thread.sleep(300); // a batch that takes longer than the command timeout, and then loses a race
                CurrentUnitOfWork.get().onPrepareCommit(u -> {
                    throw new ConcurrencyException("sequence number taken by another instance");
                });
            }
            if (payload.startsWith("error") && failedOnce.add(payload)) {
                CurrentUnitOfWork.get().root().onPrepareCommit(u -> {
                    throw new AssertionError("an Error as the batch commits");
                });
            }
            return payload.toUpperCase();
        });
    }

    @AfterEach
    void stop() {
        release.countDown();
        callers.shutdownNow();
        committer.shutdown();
    }

    @Test
    void commandsQueuedTogetherShareOneTransactionAndEachGetsItsOwnAnswer() throws Exception {
        start(128, Duration.ofSeconds(10));

        List<CommandResultMessage<?>> results = sendWhileTheFirstIsHandled("a", "b", "c", "d", "e");

        assertThat(results)
                .extracting(result -> (Object) result.getPayload())
                .containsExactly("FIRST", "A", "B", "C", "D", "E");
        // the first alone, then the five queued behind it together
        assertThat(transactions.committed).hasValue(2);
        assertThat(transactions.rolledBack).hasValue(0);
    }

    @Test
    void eachCommandOfABatchIsHandledInTheTraceOfItsOwnCaller() throws Exception {
        start(128, Duration.ofSeconds(10));

        // the committer handles every caller's command on its thread: no trace may become another's
        sendWhileTheFirstIsHandled("a", "b", "c");

        assertThat(sentInTrace).hasSize(4);
        assertThat(Set.copyOf(sentInTrace.values())).hasSize(4);
        assertThat(handledInTrace).isEqualTo(sentInTrace);
    }

    @Test
    void aRefusalIsItsCommandsAnswerAloneAndTheOthersCommit() throws Exception {
        start(128, Duration.ofSeconds(10));

        List<CommandResultMessage<?>> results = sendWhileTheFirstIsHandled("a", "b", "refused-c", "d", "e");

        assertThat(results.get(3).exceptionResult()).isInstanceOf(CommandExecutionException.class);
        assertThat(((CommandExecutionException) results.get(3).exceptionResult()).getDetails())
                .containsInstanceOf(IncrementRejection.class);
        assertThat(List.of(results.get(0), results.get(1), results.get(2), results.get(4), results.get(5)))
                .extracting(result -> (Object) result.getPayload())
                .containsExactly("FIRST", "A", "B", "D", "E");
        assertThat(invocations.values()).allSatisfy(count -> assertThat(count).hasValue(1));
        assertThat(transactions.committed).hasValue(2);
        assertThat(transactions.rolledBack).hasValue(0);
    }

    @Test
    void aBatchWhoseAppendLosesARaceIsHandledAgainWhole() throws Exception {
        start(128, Duration.ofSeconds(10));

        List<CommandResultMessage<?>> results = sendWhileTheFirstIsHandled("a", "b", "lost-race-c", "d", "e");

        assertThat(results)
                .extracting(result -> (Object) result.getPayload())
                .containsExactly("FIRST", "A", "B", "LOST-RACE-C", "D", "E");
        assertThat(invocations.get("b")).hasValue(2);
        assertThat(invocations.get("first")).hasValue(1);
        assertThat(transactions.rolledBack).hasValue(1);
        assertThat(transactions.committed).hasValue(2);
    }

    @Test
    void aFailingHandlerFailsItsWholeBatchAndNothingIsHandledAgain() throws Exception {
        start(128, Duration.ofSeconds(10));

        List<CommandResultMessage<?>> results = sendWhileTheFirstIsHandled("a", "broken-b", "c");

        assertThat(results.get(0).getPayload()).isEqualTo("FIRST");
        assertThat(results.subList(1, results.size()))
                .allSatisfy(result -> assertThat(result.exceptionResult())
                        .isInstanceOf(CommandExecutionException.class)
                        .hasRootCauseMessage("a handler failed"));
        assertThat(invocations.get("a")).hasValue(1);
        assertThat(invocations.get("c")).isNull(); // never reached: the batch stopped at the failure
        assertThat(transactions.rolledBack).hasValue(1);
    }

    @Test
    void aBatchWhoseStoreFailsBeforeTheCommitFailsEveryCommandAndHandlesNoneAgain() throws Exception {
        start(128, Duration.ofSeconds(10));

        List<CommandResultMessage<?>> results = sendWhileTheFirstIsHandled("a", "b", "store-down-c", "d", "e");

        assertThat(results.get(0).getPayload()).isEqualTo("FIRST");
        assertThat(results.subList(1, results.size()))
                .allSatisfy(result -> assertThat(result.isExceptional()).isTrue());
        assertThat(invocations.get("b")).hasValue(1);
        assertThat(transactions.rolledBack).hasValue(1);
    }

    @Test
    void aBatchWhoseCommitFailsFailsEveryCommandAndHandlesNoneAgain() throws Exception {
        start(128, Duration.ofSeconds(10));
        transactions.failCommitNumber = 2; // the batch's commit, after the first command's own

        List<CommandResultMessage<?>> results = sendWhileTheFirstIsHandled("a", "b", "c", "d", "e");

        assertThat(results.get(0).getPayload()).isEqualTo("FIRST");
        assertThat(results.subList(1, results.size()))
                .allSatisfy(result -> assertThat(result.isExceptional()).isTrue());
        assertThat(invocations.get("a")).hasValue(1);
        assertThat(invocations.get("e")).hasValue(1);
    }

    @Test
    void anErrorAsTheBatchCommitsRollsItsTransactionBackEmptiesTheCacheAndTheNextBatchCommits() throws Exception {
        start(128, Duration.ofSeconds(10));
        String cached = "a counter as an uncommitted unit of work may have left it";
        cache.put("counter", cached);

        List<CommandResultMessage<?>> results = sendWhileTheFirstIsHandled("a", "error-b", "c");
        CommandResultMessage<?> next = send("d");

        assertThat(results.get(0).getPayload()).isEqualTo("FIRST");
        assertThat(results.subList(1, results.size()))
                .allSatisfy(result -> assertThat(result.exceptionResult())
                        .isInstanceOf(CommandExecutionException.class)
                        .hasRootCauseInstanceOf(AssertionError.class));
        assertThat(transactions.rolledBack).hasValue(1);
        assertThat(next.getPayload()).isEqualTo("D");
        assertThat(transactions.committed).hasValue(2); // "first" and "d": the failed batch's was never committed
        assertThat(transactions.open).hasValue(0);
        assertThat(cache.containsKey("counter")).isFalse();
    }

    @Test
    void aTransactionThatCannotStartFailsItsBatchWithItsCause() throws Exception {
        start(128, Duration.ofSeconds(10));
        transactions.failStartNumber = 1;

        CommandResultMessage<?> result = send("a");

        assertThat(result.exceptionResult())
                .isInstanceOf(CommandExecutionException.class)
                .hasRootCauseMessage("no connection");
        assertThat(invocations).isEmpty();
    }

    @Test
    void aCommandBeyondTheQueuesCapacityIsRefusedAtOnce() throws Exception {
        start(2, Duration.ofSeconds(10));
        Future<CommandResultMessage<?>> first = callers.submit(() -> send("first"));
        assertThat(firstHandled.await(5, TimeUnit.SECONDS)).isTrue();
        List<Future<CommandResultMessage<?>>> queued =
                List.of(callers.submit(() -> send("a")), callers.submit(() -> send("b")));
        awaitQueued(2);

        CommandResultMessage<?> refused = send("c");

        assertThat(refused.exceptionResult()).isInstanceOf(CommandExecutionException.class);
        assertThat(invocations.get("c")).isNull();
        release.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS).getPayload()).isEqualTo("FIRST");
        for (Future<CommandResultMessage<?>> result : queued) {
            assertThat(result.get(5, TimeUnit.SECONDS).isExceptional()).isFalse();
        }
    }

    @Test
    void aBatchThatLosesARaceAfterTheCommandTimeoutIsNotHandledAgain() throws Exception {
        start(128, Duration.ofMillis(200));

        CommandResultMessage<?> result = send("slow-lost-race");

        assertThat(result.exceptionResult()).isInstanceOf(CommandExecutionException.class);
        assertThat(invocations.get("slow-lost-race")).hasValue(1); // 4 (1 + command-retries) were it handled again
        assertThat(transactions.rolledBack).hasValue(1);
    }

    @Test
    void aCommandThatWaitedPastTheTimeoutIsNotHandled() throws Exception {
        start(128, Duration.ofMillis(200));
        Future<CommandResultMessage<?>> first = callers.submit(() -> send("first"));
        assertThat(firstHandled.await(5, TimeUnit.SECONDS)).isTrue();
        Future<CommandResultMessage<?>> late = callers.submit(() -> send("late"));
        awaitQueued(1);
        Thread.sleep(300); // longer than the command timeout: the point of this test

        release.countDown();

        assertThat(first.get(5, TimeUnit.SECONDS).getPayload()).isEqualTo("FIRST");
        assertThat(late.get(5, TimeUnit.SECONDS).exceptionResult()).isInstanceOf(CommandExecutionException.class);
        assertThat(invocations.get("late")).isNull();
    }

    @Test
    void aCallerIsAnsweredByItsDeadlineWhileItsBatchStillWaitsForTheStore() throws Exception {
        start(128, Duration.ofSeconds(10));

        // "first" holds its batch as a store that answers slowly would
        Future<CommandResultMessage<?>> caller = callers.submit(() -> send("first", Duration.ofMillis(100)));

        assertThat(caller.get(5, TimeUnit.SECONDS).exceptionResult()).isInstanceOf(TimeoutException.class);
        assertThat(firstHandled.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(transactions.open).hasValue(1); // answered while its batch's transaction was still open
    }

    /**
     * Sends "first", and while it is being handled queues the others, which join its batch; returns the results of
     * all, the first's first.
     */
    private List<CommandResultMessage<?>> sendWhileTheFirstIsHandled(String... payloads) throws Exception {
        List<Future<CommandResultMessage<?>>> sent = new ArrayList<>();
        sent.add(callers.submit(() -> send("first")));
        assertThat(firstHandled.await(5, TimeUnit.SECONDS)).isTrue();
        for (String payload : payloads) {
            sent.add(callers.submit(() -> send(payload)));
            awaitQueued(sent.size() - 1);
        }
        release.countDown();
        List<CommandResultMessage<?>> results = new ArrayList<>();
        for (Future<CommandResultMessage<?>> result : sent) {
            results.add(result.get(5, TimeUnit.SECONDS));
        }
        return results;
    }

    /** Sends from a caller's span of its own, as a request would. */
    private CommandResultMessage<?> send(String payload) {
        return send(payload, Duration.ofSeconds(5));
    }

    private CommandResultMessage<?> send(String payload, Duration waitAtMost) {
        Span request = tracer.spanBuilder("request " + payload).startSpan();
        try (Scope inRequest = request.makeCurrent()) {
            sentInTrace.put(payload, request.getSpanContext().getTraceId());
            FutureCallback<String, Object> callback = new FutureCallback<>();
            CommandMessage<String> command = asCommandMessage(payload);
            bus.dispatch(command, callback);
            return callback.getResult(waitAtMost.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            request.end();
        }
    }

    /** Waits until the bus holds {@code count} commands behind the first, so the batch is known in advance. */
    private void awaitQueued(int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (bus.queued() < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(bus.queued()).isEqualTo(count);
    }

    /** Counts transactions and those left open; can fail the start or the commit of a chosen one. */
    private static final class Transactions implements TransactionManager {

        private final AtomicInteger started = new AtomicInteger();
        private final AtomicInteger committed = new AtomicInteger();
        private final AtomicInteger rolledBack = new AtomicInteger();
        private final AtomicInteger open = new AtomicInteger();
        private volatile int failCommitNumber;
        private volatile int failStartNumber;

        @Override
        public Transaction startTransaction() {
            int number = started.incrementAndGet();
            if (number == failStartNumber) {
                throw new IllegalStateException("no connection");
            }
            open.incrementAndGet();
            return new Transaction() {
                @Override
                public void commit() {
                    open.decrementAndGet();
                    if (number == failCommitNumber) {
                        throw new IllegalStateException("connection lost during commit");
                    }
                    committed.incrementAndGet();
                }

                @Override
                public void rollback() {
                    open.decrementAndGet();
                    rolledBack.incrementAndGet();
                }
            };
        }
    }
}
