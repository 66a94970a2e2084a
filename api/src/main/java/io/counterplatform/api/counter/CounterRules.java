package io.counterplatform.api.counter;

import java.util.regex.Pattern;

/** The input rules for counter ids, amounts and idempotency keys, shared by every entry point. */
public final class CounterRules {

    public static final String ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";
    public static final String IDEMPOTENCY_KEY_PATTERN = "^[\\x21-\\x7E]{1,128}$";
    public static final String AMOUNT_RULE = "must be an integer from 1 to " + Long.MAX_VALUE;

    private static final Pattern ID = Pattern.compile(ID_PATTERN);
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile(IDEMPOTENCY_KEY_PATTERN);

    private CounterRules() {}

    public static void requireValidId(String counterId) {
        if (counterId == null || !ID.matcher(counterId).matches()) {
            throw new InvalidCounterInput(
                    "counterId", "must match " + ID_PATTERN + " (1 to 64 letters, digits, '.', '_' or '-')");
        }
    }

    public static void requireValidAmount(long amount) {
        if (amount < 1) {
            throw new InvalidCounterInput("amount", AMOUNT_RULE);
        }
    }

    /** A key is optional; when given it is 1 to 128 visible ASCII characters. */
    public static void requireValidIdempotencyKey(String key) {
        if (key != null && !IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw new InvalidCounterInput("Idempotency-Key", "must be 1 to 128 visible ASCII characters");
        }
    }

    public static void requireValidExpectedVersion(Long expectedVersion) {
        if (expectedVersion != null && expectedVersion < 0) {
            throw new InvalidCounterInput("If-Match", "must name a version of 0 or more");
        }
    }
}
