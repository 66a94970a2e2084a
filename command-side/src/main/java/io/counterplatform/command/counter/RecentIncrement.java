package io.counterplatform.command.counter;

/** What an increment with an idempotency key produced, so a retry can be answered the same way. */
record RecentIncrement(long amount, long value, long version) {}
