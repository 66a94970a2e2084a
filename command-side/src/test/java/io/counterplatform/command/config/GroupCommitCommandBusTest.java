package io.counterplatform.command.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.commandhandling.GenericCommandMessage.asCommandMessage;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.DefaultCommandBusSpanFactory;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.callbacks.FutureCallback;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.tracing.opentelemetry.OpenTelemetrySpanFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Commands that arrive while another is being handled share one transaction, and each still gets exactly the
 * answer it would have had alone. The first command holds the bus until the rest have queued behind it.
 */
class GroupCommitCommandBusTest {

    private static final int QUEUED = 5;

    private final Transactions transactions = new Transactions();
    private final Map<String, AtomicInteger> invocations = new ConcurrentHashMap<>();
    private final CountDownLatch firstHandled = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService callers = Executors.newFixedThreadPool(QUEUED + 1);
    private final Tracer tracer = SdkTracerProvider.builder().build().get("test");
    private final Map<String, String> sentInTrace = new ConcurrentHashMap<>();
    private final Map<String, String> handledInTrace = new ConcurrentHashMap<>();
    private GroupCommitCommandBus bus;

    @BeforeEach
    void setUp() {
        OpenTelemetrySpanFactory spans = OpenTelemetrySpanFactory.builder()
                .tracer(tracer)
                .contextPropagators(W3CTraceContextPropagator.getInstance())
                .build();
        bus = new GroupCommitCommandBus(
                SimpleCommandBus.builder(),
                transactions,
                DefaultCommandBusSpanFactory.builder().spanFactory(spans).build(),
                64,
                new SimpleMeterRegistry());
        bus.subscribe(String.class.getName(), command -> {
            String payload = (String) command.getPayload();
            handledInTrace.put(payload, Span.current().getSpanContext().getTraceId());
            invocations.computeIfAbsent(payload, p -> new AtomicInteger()).incrementAndGet();
            if (payload.equals("first")) {
                firstHandled.countDown();
                release.await();
            }
            if (payload.startsWith("refused")) {
                throw new IllegalArgumentException(payload);
            }
            if (payload.startsWith("store-down")) {
                CurrentUnitOfWork.get().onPrepareCommit(u -> {
                    throw new IllegalStateException("connection refused");
                });
            }
            if (payload.startsWith("lost-race")) {
                CurrentUnitOfWork.get().onPrepareCommit(u -> {
                    throw new ConcurrencyException("sequence number taken by another instance");
                });
            }
            return payload.toUpperCase();
        });
    }

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    @Test
    void commandsQueuedTogetherShareOneTransactionAndEachGetsItsOwnAnswer() throws Exception {
        List<CommandResultMessage<?>> results = sendWhileTheFirstIsHandled("a", "b", "c", "d", "e");

        assertThat(results).extracting(result -> (Object) result.getPayload()).containsExactly("A", "B", "C", "D", "E");
        // the first command alone, then the five queued behind it together
        assertThat(transactions.committed).hasValue(2);
        assertThat(transactions.rolledBack).hasValue(0);
    }

    @Test
    void eachCommandOfABatchIsHandledInTheTraceOfItsOwnCaller() throws Exception {
        // the leader handles the others' commands on its thread: its own trace must not become theirs
        sendWhileTheFirstIsHandled("a", "b", "c");

        assertThat(sentInTrace).hasSize(4);
        assertThat(Set.copyOf(sentInTrace.values())).hasSize(4);
        assertThat(handledInTrace).isEqualTo(sentInTrace);
    }

    @Test
    void aRefusedCommandRollsItsBatchBackAndEveryCommandIsHandledAgainAlone() throws Exception {
        List<CommandResultMessage<?>> results = sendWhileTheFirstIsHandled("a", "b", "refused-c", "d", "e");

        assertThat(results.get(2).isExceptional()).isTrue();
        assertThat(results.get(2).exceptionResult()).isInstanceOf(IllegalArgumentException.class);
        assertThat(List.of(results.get(0), results.get(1), results.get(3), results.get(4)))
                .extracting(result -> (Object) result.getPayload())
                .containsExactly("A", "B", "D", "E");
        assertThat(invocations.get("a")).hasValue(2);
        assertThat(invocations.get("e")).hasValue(1);
        assertThat(transactions.rolledBack).hasValue(2); // the batch, and the refused command alone
    }

    @Test
    void aBatchWhoseAppendLosesARaceIsHandledAgainAlone() throws Exception {
        List<CommandResultMessage<?>> results = sendWhileTheFirstIsHandled("a", "b", "lost-race-c", "d", "e");

        assertThat(results.get(2).isExceptional()).isTrue();
        assertThat(results.get(0).getPayload()).isEqualTo("A");
        assertThat(results.get(4).getPayload()).isEqualTo("E");
        assertThat(invocations.get("b")).hasValue(2);
    }

    @Test
    void aBatchWhoseStoreFailsBeforeTheCommitFailsEveryCommandAndHandlesNoneAgain() throws Exception {
        List<CommandResultMessage<?>> results = sendWhileTheFirstIsHandled("a", "b", "store-down-c", "d", "e");

        assertThat(results)
                .allSatisfy(result -> assertThat(result.isExceptional()).isTrue());
        assertThat(invocations.get("b")).hasValue(1);
        assertThat(transactions.rolledBack).hasValue(1);
    }

    @Test
    void aBatchWhoseCommitFailsFailsEveryCommandAndHandlesNoneAgain() throws Exception {
        transactions.failCommitNumber = 2; // the batch's commit, after the first command's own

        List<CommandResultMessage<?>> results = sendWhileTheFirstIsHandled("a", "b", "c", "d", "e");

        assertThat(results)
                .allSatisfy(result -> assertThat(result.isExceptional()).isTrue());
        assertThat(invocations.get("a")).hasValue(1);
        assertThat(invocations.get("e")).hasValue(1);
    }

    /** Sends "first", and while it is being handled queues the others; returns their results in order. */
    private List<CommandResultMessage<?>> sendWhileTheFirstIsHandled(String... payloads) throws Exception {
        Future<CommandResultMessage<?>> first = callers.submit(() -> send("first"));
        assertThat(firstHandled.await(5, TimeUnit.SECONDS)).isTrue();
        List<Future<CommandResultMessage<?>>> queued = new ArrayList<>();
        for (String payload : payloads) {
            queued.add(callers.submit(() -> send(payload)));
            awaitQueued(queued.size());
        }
        release.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS).getPayload()).isEqualTo("FIRST");
        List<CommandResultMessage<?>> results = new ArrayList<>();
        for (Future<CommandResultMessage<?>> result : queued) {
            results.add(result.get(5, TimeUnit.SECONDS));
        }
        return results;
    }

    /** Sends from a caller's span of its own, as a request would. */
    private CommandResultMessage<?> send(String payload) {
        Span request = tracer.spanBuilder("request " + payload).startSpan();
        try (Scope inRequest = request.makeCurrent()) {
            sentInTrace.put(payload, request.getSpanContext().getTraceId());
            FutureCallback<String, Object> callback = new FutureCallback<>();
            CommandMessage<String> command = asCommandMessage(payload);
            bus.dispatch(command, callback);
            return callback.getResult(5, TimeUnit.SECONDS);
        } finally {
            request.end();
        }
    }

    /** Waits until the bus holds {@code count} commands behind the first, so the batch is known in advance. */
    private void awaitQueued(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (bus.queued() < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(bus.queued()).isEqualTo(count);
    }

    /** Counts transactions; can fail the commit of a chosen one (its outcome then unknown to the caller). */
    private static final class Transactions implements TransactionManager {

        private final AtomicInteger started = new AtomicInteger();
        private final AtomicInteger committed = new AtomicInteger();
        private final AtomicInteger rolledBack = new AtomicInteger();
        private volatile int failCommitNumber;

        @Override
        public Transaction startTransaction() {
            int number = started.incrementAndGet();
            return new Transaction() {
                @Override
                public void commit() {
                    if (number == failCommitNumber) {
                        throw new IllegalStateException("connection lost during commit");
                    }
                    committed.incrementAndGet();
                }

                @Override
                public void rollback() {
                    rolledBack.incrementAndGet();
                }
            };
        }
    }
}
