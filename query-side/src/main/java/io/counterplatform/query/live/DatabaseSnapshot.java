package io.counterplatform.query.live;

import java.util.Arrays;

/**
 * A PostgreSQL snapshot as {@code pg_current_snapshot()} shows it ({@code xmin:xmax:xip,...}): which committed
 * transactions a read saw. One below {@code xmin} had ended when the read began, one at or above {@code xmax} had
 * not begun, and one listed was still running.
 */
record DatabaseSnapshot(long xmin, long xmax, long[] running) {

    static DatabaseSnapshot parse(String snapshot) {
        String[] parts = snapshot.split(":", -1);
        long[] running = parts[2].isEmpty()
                ? new long[0]
                : Arrays.stream(parts[2].split(",")).mapToLong(Long::parseLong).toArray();
        return new DatabaseSnapshot(Long.parseLong(parts[0]), Long.parseLong(parts[1]), running);
    }

    /** Whether a read in this snapshot saw what the committed {@code transaction} wrote. */
    boolean sees(long transaction) {
        return transaction < xmin
                || (transaction < xmax && Arrays.stream(running).noneMatch(xid -> xid == transaction));
    }
}
