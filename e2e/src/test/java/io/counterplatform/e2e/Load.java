package io.counterplatform.e2e;

import io.counterplatform.testsupport.Http;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Concurrent increments from many client threads: half on one hot counter, half spread over many. Each request
 * has its own idempotency key and is retried with it until acknowledged, as a careful client does: after no
 * answer, a {@code 5xx}, or a {@code 503}. The tally of acknowledged increments is exactly what the system must
 * hold; any other answer is recorded as a violation of the contract.
 */
final class Load {

    static final String HOT_COUNTER = "hot";
    private static final Duration GIVE_UP = Duration.ofMinutes(2);
    private static final Pattern ACKNOWLEDGED =
            Pattern.compile("\\{\"counterId\":\"[^\"]+\",\"value\":\\d+,\"version\":\\d+}");

    private final List<Http> commands;
    private final List<String> counters;
    private final Queue<Acknowledged> acknowledged = new ConcurrentLinkedQueue<>();
    private final Map<String, LongAdder> acknowledgedSum = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> acknowledgedCount = new ConcurrentHashMap<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final LongAdder retries = new LongAdder();
    private final LongAdder unavailable = new LongAdder();
    private final AtomicLong slowestMillis = new AtomicLong();
    private final Queue<String> violations = new ConcurrentLinkedQueue<>();
    private volatile Duration pace = Duration.ZERO;
    private volatile boolean hotOnly;

    Load(Http commands, int spreadCounters) {
        this(List.of(commands), spreadCounters);
    }

    /** Each try goes to one of {@code commands}, drawn at random: command-side instances sharing one store. */
    Load(List<Http> commands, int spreadCounters) {
        this.commands = commands;
        this.counters =
                IntStream.range(0, spreadCounters).mapToObj(i -> "c-" + i).toList();
    }

    /** An acknowledged increment, and the answer it got. */
    record Acknowledged(String counter, String key, int amount, String body) {}

    /** Each client pauses this long after each acknowledged increment: a steady load rather than the most. */
    Load paced(Duration pause) {
        this.pace = pause;
        return this;
    }

    /** From now on every increment goes to the hot counter: its rate, not the platform's, is the point. */
    void hotOnly(boolean hot) {
        this.hotOnly = hot;
    }

    /** Sends {@code total} increments from {@code threads} threads and returns when all are acknowledged. */
    void run(int threads, int total) throws Exception {
        AtomicInteger next = new AtomicInteger();
        runUntil(threads, () -> next.getAndIncrement() >= total);
    }

    /** Each of {@code threads} threads sends increments, one at a time, until {@code done} says so. */
    void runUntil(int threads, BooleanSupplier done) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> clients = IntStream.range(0, threads)
                    .mapToObj(t -> pool.submit(() -> {
                        while (!done.getAsBoolean()) {
                            incrementOnce();
                        }
                    }))
                    .<Future<?>>map(future -> future)
                    .toList();
            for (Future<?> client : clients) {
                client.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    int sent() {
        return sent.get();
    }

    /** Waits until {@code increments} more have been sent than when called (for two minutes at most). */
    void awaitMore(int increments) throws InterruptedException {
        int target = sent.get() + increments;
        Instant deadline = Instant.now().plus(GIVE_UP);
        while (sent.get() < target && Instant.now().isBefore(deadline)) {
            Thread.sleep(10);
        }
    }

    /** Requests sent again with the same key because the first try got no answer or a 5xx. */
    long retries() {
        return retries.sum();
    }

    /** Answers {@code 503}: the service said it could not serve, and when to try again. */
    long unavailable() {
        return unavailable.sum();
    }

    /** The longest any single request took: a service that recovers never leaves a client hanging. */
    long slowestMillis() {
        return slowestMillis.get();
    }

    /** Answers a client must never see: a 200 without the counter's state, a 4xx for a valid request. */
    List<String> violations() {
        return List.copyOf(violations);
    }

    Map<String, Long> acknowledgedSums() {
        return snapshot(acknowledgedSum);
    }

    Map<String, Long> acknowledgedCounts() {
        return snapshot(acknowledgedCount);
    }

    private void incrementOnce() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String counter = hotOnly || random.nextBoolean() ? HOT_COUNTER : counters.get(random.nextInt(counters.size()));
        increment(counter, 1 + random.nextInt(3), UUID.randomUUID().toString());
    }

    /** One increment of the hot counter with the given key, retried until acknowledged, as any other. */
    void incrementHotWithKey(String key) {
        increment(HOT_COUNTER, 1, key);
    }

    private void increment(String counter, int amount, String key) {
        sent.incrementAndGet();
        Instant giveUp = Instant.now().plus(GIVE_UP);
        while (true) {
            Http.Response response = send(counter, amount, key);
            if (response != null && response.status() == 200) {
                if (!ACKNOWLEDGED.matcher(response.body()).matches()) {
                    violations.add("200 without the counter's state for " + counter + " key " + key + ": '"
                            + response.body() + "'");
                }
                // A replayed answer to a retry still means exactly one stored increment.
                acknowledgedSum.computeIfAbsent(counter, c -> new LongAdder()).add(amount);
                acknowledgedCount.computeIfAbsent(counter, c -> new LongAdder()).increment();
                acknowledged.add(new Acknowledged(counter, key, amount, response.body()));
                sleep(pace.toMillis());
                return;
            }
            if (response != null && response.status() < 500) {
                violations.add(response.status() + " for a valid increment of " + counter + ": " + response.body());
                return;
            }
            if (Instant.now().isAfter(giveUp)) {
                throw new IllegalStateException("increment of " + counter + " not acknowledged within " + GIVE_UP
                        + (response == null ? "" : ": " + response.status() + " " + response.body()));
            }
            retries.increment();
            pause();
        }
    }

    /** The answer, or null when there was none (connection refused or cut). */
    private Http.Response send(String counter, int amount, String key) {
        long started = System.nanoTime();
        try {
            Http.Response response = commands.get(ThreadLocalRandom.current().nextInt(commands.size()))
                    .post(
                            "/api/counters/" + counter + "/increments",
                            "application/json",
                            "{\"amount\":" + amount + "}",
                            "Idempotency-Key",
                            key);
            if (response.status() == 503) {
                unavailable.increment();
            }
            return response;
        } catch (UncheckedIOException noAnswer) {
            return null;
        } finally {
            slowestMillis.accumulateAndGet((System.nanoTime() - started) / 1_000_000, Math::max);
        }
    }

    private static void pause() {
        sleep(50);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Sends the {@code count} oldest acknowledged increments again, with their keys: each must be answered as it was
     * the first time, and marked as replayed, whatever has happened since.
     */
    List<String> retryViolations(int count) {
        return acknowledged.stream()
                .limit(count)
                .map(first -> {
                    Http.Response retry = send(first.counter(), first.amount(), first.key());
                    return retry != null
                                    && retry.status() == 200
                                    && retry.body().equals(first.body())
                                    && retry.header("Idempotent-Replayed")
                                            .orElse("")
                                            .equals("true")
                            ? null
                            : "a retry of " + first + " was answered "
                                    + (retry == null ? "not at all" : retry.status() + " " + retry.body());
                })
                .filter(Objects::nonNull)
                .toList();
    }

    /** What the read model must show: each counter's acknowledged sum and count, as {@code value=..,version=..}. */
    Map<String, String> expectedReadModel() {
        Map<String, Long> counts = acknowledgedCounts();
        Map<String, String> expected = new TreeMap<>();
        acknowledgedSums()
                .forEach((counter, sum) -> expected.put(counter, "value=" + sum + ",version=" + counts.get(counter)));
        return expected;
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> tally) {
        Map<String, Long> copy = new TreeMap<>();
        tally.forEach((counter, adder) -> copy.put(counter, adder.sum()));
        return copy;
    }
}
