package io.counterplatform.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the load generator {@code wrk} with the increments script and reads its report. */
record Wrk(Path script) {

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern PERCENTILE = Pattern.compile("\\s+(50|99)%\\s+([\\d.]+)(us|ms|s)");

    /**
     * What one run measured; {@code errors} counts non-2xx answers and socket errors, {@code cpuMillisPerRequest} the
     * CPU time the measured processes spent per answered request (0 where none was measured).
     */
    record Run(double requestsPerSecond, double p50Millis, double p99Millis, long errors, double cpuMillisPerRequest) {

        Run withCpu(Duration cpu, Duration duration) {
            double requests = requestsPerSecond * duration.toMillis() / 1000.0;
            return new Run(requestsPerSecond, p50Millis, p99Millis, errors, cpu.toNanos() / 1e6 / requests);
        }
    }

    /** Increments spread over {@code counters} counters, or all on {@code hot} when it is not null. */
    Run run(String baseUrl, Duration duration, int connections, int counters, String hot) {
        ProcessBuilder builder = new ProcessBuilder(
                        "wrk",
                        "-t2",
                        "-c" + connections,
                        "-d" + duration.toSeconds() + "s",
                        "--latency",
                        "-s",
                        script.toString(),
                        baseUrl)
                .redirectErrorStream(true);
        builder.environment().put("COUNTERS", Integer.toString(counters));
        if (hot != null) {
            builder.environment().put("HOT", hot);
        }
        try {
            Process process = builder.start();
            String report = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("wrk failed:\n" + report);
            }
            return parse(report);
        } catch (IOException e) {
            throw new UncheckedIOException("could not run wrk (apt-get install wrk)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Run parse(String report) {
        Matcher rate = RATE.matcher(report);
        if (!rate.find()) {
            throw new IllegalStateException("no rate in wrk's report:\n" + report);
        }
        double p50 = 0;
        double p99 = 0;
        Matcher percentile = PERCENTILE.matcher(report);
        while (percentile.find()) {
            double millis = Double.parseDouble(percentile.group(2))
                    * switch (percentile.group(3)) {
                        case "us" -> 0.001;
                        case "s" -> 1000;
                        default -> 1;
                    };
            if (percentile.group(1).equals("50")) {
                p50 = millis;
            } else {
                p99 = millis;
            }
        }
        long errors = 0;
        Matcher non2xx = NON_2XX.matcher(report);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        Matcher socket = SOCKET_ERRORS.matcher(report);
        if (socket.find()) {
            for (int group = 1; group <= 4; group++) {
                errors += Long.parseLong(socket.group(group));
            }
        }
        return new Run(Double.parseDouble(rate.group(1)), p50, p99, errors, 0);
    }
}
