package io.counterplatform.e2e;

import io.counterplatform.local.Http;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;

/**
 * Concurrent increments from many client threads: half on one hot counter, half spread over many. Each request
 * has its own idempotency key and is retried with it until acknowledged, so the tally of acknowledged
 * increments is exactly what the system must hold.
 */
final class Load {

    static final String HOT_COUNTER = "hot";

    private final Http commands;
    private final List<String> counters;
    private final Map<String, LongAdder> acknowledgedSum = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> acknowledgedCount = new ConcurrentHashMap<>();
    private final AtomicInteger sent = new AtomicInteger();

    Load(Http commands, int spreadCounters) {
        this.commands = commands;
        this.counters =
                IntStream.range(0, spreadCounters).mapToObj(i -> "c-" + i).toList();
    }

    /** Sends {@code total} increments from {@code threads} threads and returns when all are acknowledged. */
    void run(int threads, int total) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> clients = IntStream.range(0, threads)
                    .mapToObj(t -> pool.submit(() -> {
                        for (int i = t; i < total; i += threads) {
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

    Map<String, Long> acknowledgedSums() {
        return snapshot(acknowledgedSum);
    }

    Map<String, Long> acknowledgedCounts() {
        return snapshot(acknowledgedCount);
    }

    private void incrementOnce() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String counter = random.nextBoolean() ? HOT_COUNTER : counters.get(random.nextInt(counters.size()));
        int amount = 1 + random.nextInt(3);
        String key = UUID.randomUUID().toString();
        sent.incrementAndGet();
        for (int attempt = 1; ; attempt++) {
            Http.Response response = commands.post(
                    "/api/counters/" + counter + "/increments",
                    "application/json",
                    "{\"amount\":" + amount + "}",
                    "Idempotency-Key",
                    key);
            if (response.status() == 200) {
                // A replayed answer to a retry still means exactly one stored increment.
                acknowledgedSum.computeIfAbsent(counter, c -> new LongAdder()).add(amount);
                acknowledgedCount.computeIfAbsent(counter, c -> new LongAdder()).increment();
                return;
            }
            if (attempt == 5) {
                throw new IllegalStateException(
                        "increment not acknowledged: " + response.status() + " " + response.body());
            }
        }
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
