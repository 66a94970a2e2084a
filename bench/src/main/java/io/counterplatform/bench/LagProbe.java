package io.counterplatform.bench;

import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.SseClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end lag at a fixed rate: for each acknowledged increment, the time until a live stream ({@code
 * /api/stream}) delivers that version, and for every tenth one the time until the read model answers it
 * ({@code minVersion}), both measured from the moment the command side answered.
 */
final class LagProbe {

    private static final Pattern STATE = Pattern.compile("\"counterId\":\"([^\"]+)\".*\"version\":(\\d+)");
    private static final int SENDERS = 8;

    /** Percentiles in milliseconds; {@code missed}: versions the stream never delivered. */
    record Lags(
            double rate,
            int samples,
            double readModelP50,
            double readModelP99,
            double streamP50,
            double streamP99,
            int missed) {}

    private LagProbe() {}

    static Lags measure(Http commands, Http queries, double rate, Duration duration) throws Exception {
        Map<String, Long> delivered = new ConcurrentHashMap<>();
        try (SseClient stream =
                SseClient.connect(queries.baseUrl() + "/api/stream", event -> arrived(event, delivered))) {
            awaitQuiet(delivered); // the stream first sends the current state of every counter
            Map<String, Long> answered = new ConcurrentHashMap<>();
            List<Double> readModel = Collections.synchronizedList(new ArrayList<>());
            ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            long interval = (long) (SENDERS * 1_000_000_000L / rate);
            List<Future<?>> running = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                long offset = s * interval / SENDERS;
                running.add(senders.submit(
                        () -> send(commands, queries, start + offset, interval, end, answered, readModel)));
            }
            for (Future<?> sender : running) {
                sender.get();
            }
            senders.shutdown();
            Thread.sleep(2_000); // stragglers
            List<Double> streamLags = new ArrayList<>();
            int missed = 0;
            for (Map.Entry<String, Long> answer : answered.entrySet()) {
                Long arrival = delivered.get(answer.getKey());
                if (arrival == null) {
                    missed++;
                } else {
                    streamLags.add(Math.max(0, arrival - answer.getValue()) / 1_000_000.0);
                }
            }
            return new Lags(
                    rate,
                    answered.size(),
                    percentile(readModel, 50),
                    percentile(readModel, 99),
                    percentile(streamLags, 50),
                    percentile(streamLags, 99),
                    missed);
        }
    }

    private static void send(
            Http commands,
            Http queries,
            long first,
            long interval,
            long end,
            Map<String, Long> answered,
            List<Double> readModel) {
        long due = first;
        for (int sent = 0; due < end; sent++, due += interval) {
            pauseUntil(due);
            String counter = "lag-" + ThreadLocalRandom.current().nextInt(100);
            Http.Response response = commands.post("/api/counters/" + counter + "/increments", null, null);
            long answeredAt = System.nanoTime();
            Matcher state = STATE.matcher(response.body());
            if (response.status() != 200 || !state.find()) {
                continue;
            }
            answered.put(counter + "@" + state.group(2), answeredAt);
            if (sent % 10 == 0) {
                queries.get("/api/counters/" + counter + "?minVersion=" + state.group(2) + "&waitMillis=5000");
                readModel.add((System.nanoTime() - answeredAt) / 1_000_000.0);
            }
        }
    }

    /** Stamped the moment the message arrives, on the stream's own thread. */
    private static void arrived(SseClient.Event event, Map<String, Long> delivered) {
        long arrival = System.nanoTime();
        Matcher state = STATE.matcher(event.data());
        if (state.find()) {
            delivered.put(state.group(1) + "@" + state.group(2), arrival);
        }
    }

    private static void awaitQuiet(Map<String, Long> delivered) throws InterruptedException {
        int seen = -1;
        while (delivered.size() != seen) {
            seen = delivered.size();
            Thread.sleep(2_000);
        }
    }

    private static void pauseUntil(long due) {
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static double percentile(List<Double> values, int percent) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
    }
}
