package io.counterplatform.query.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.counterplatform.api.counter.CounterCommitted;
import io.counterplatform.api.counter.CounterSlice;
import io.counterplatform.api.counter.CounterView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.Exceptions;

/**
 * The walk's decisions. Transactions 1 to 99 ended before every read here; the snapshots differ in 100 to 110:
 * {@code 100:105:100,102} saw 101, 103 and 104.
 */
class CounterWalkTest {

    private static final String EARLY = "100:105:100,102";
    private static final String LATER = "110:110:";

    private final List<String> reads = new ArrayList<>();
    private final CounterWalk walk = new CounterWalk(2, 3, reads::add);

    @Test
    void aSliceIsSentWholeAndTheNextOneReadAfterItsLastId() {
        assertThat(walk.slice(slice(EARLY, "a", "b"))).containsExactly(state("a", 1), state("b", 1));
        assertThat(reads).containsExactly("b");
        assertThat(walk.slice(slice(EARLY, "c"))).containsExactly(state("c", 1));
        assertThat(reads).containsExactly("b"); // a short slice is the last
    }

    @Test
    void aChangeToAWalkedCounterIsSentUnlessItsSliceSawIt() {
        walk.slice(slice(EARLY, "a", "b"));

        assertThat(walk.change(change("a", 2, 101))).isEmpty();
        assertThat(walk.change(change("b", 2, 102))).containsExactly(state("b", 2));
        assertThat(walk.change(change("a", 3, 105))).containsExactly(state("a", 3));
    }

    @Test
    void aChangeWaitsWhileItsSliceIsReadThenFollowsItUnlessTheSliceSawIt() {
        walk.slice(slice(EARLY, "a", "b"));
        walk.reading();

        assertThat(walk.change(change("c", 2, 103))).isEmpty();
        assertThat(walk.change(change("d", 3, 106))).isEmpty();
        assertThat(walk.change(change("z", 2, 107))).isEmpty();

        // c's change was seen by the read; d's came after it; z lies beyond this slice, and the next read holds it
        assertThat(walk.slice(slice(EARLY, "c", "d"))).containsExactly(state("c", 1), state("d", 1), state("d", 3));
        assertThat(reads).containsExactly("b", "d");
    }

    @Test
    void theLastSliceHoldsEveryIdAfterTheOnesBefore() {
        walk.slice(slice(EARLY, "a", "b"));
        walk.reading();
        walk.change(change("x", 2, 108));
        assertThat(walk.slice(slice(EARLY))).containsExactly(state("x", 2));

        assertThat(walk.change(change("y", 2, 109))).containsExactly(state("y", 2));
        assertThat(walk.change(change("y", 2, 104))).isEmpty();
        assertThat(walk.change(change("a", 2, 99))).isEmpty();
    }

    @Test
    void snapshotsAreTheirSlicesOwn() {
        walk.slice(slice(EARLY, "a", "b"));
        walk.slice(slice(LATER, "c"));

        assertThat(walk.change(change("a", 2, 106))).containsExactly(state("a", 2));
        assertThat(walk.change(change("c", 2, 106))).isEmpty();
    }

    @Test
    void aCounterBornBeforeItsSliceIsReadIsSentFromItsFirstVersionAndRememberedUntilItPassesItsSlice() {
        walk.slice(slice(EARLY, "a", "b"));
        walk.reading();

        assertThat(walk.change(change("n", 1, 101))).containsExactly(state("n", 1));
        assertThat(walk.change(change("n", 2, 103))).containsExactly(state("n", 2));
        assertThat(walk.change(change("mm", 1, 104))).containsExactly(state("mm", 1));
        // the slice saw n at version 3 (transaction 104), and mm not at all
        assertThat(walk.slice(new CounterSlice(List.of(state("m", 1), state("n", 3)), EARLY)))
                .containsExactly(state("m", 1));
        assertThat(walk.remembered()).isEqualTo(1);

        // n's version 3 was seen by the slice but not sent with it
        assertThat(walk.change(change("n", 3, 104))).containsExactly(state("n", 3));
        assertThat(walk.remembered()).isZero();
        assertThat(walk.change(change("n", 4, 106))).containsExactly(state("n", 4));
        assertThat(walk.change(change("mm", 2, 107))).containsExactly(state("mm", 2));
    }

    @Test
    void moreChangesThanTheBufferWhileASliceIsReadAreAnOverflow() {
        walk.slice(slice(EARLY, "a", "b"));
        walk.reading();
        for (int i = 0; i < 3; i++) {
            walk.change(change("c" + i, 2, 106));
        }

        assertThatThrownBy(() -> walk.change(change("d", 2, 106))).matches(Exceptions::isOverflow);
    }

    @Test
    void untilTheFirstReadBeginsEveryChangeIsLeftToItButABirth() {
        assertThat(walk.change(change("c", 2, 106))).isEmpty();
        assertThat(walk.change(change("n", 1, 107))).containsExactly(state("n", 1));

        walk.reading();
        assertThat(walk.change(change("c", 3, 109))).isEmpty();
        assertThat(walk.slice(new CounterSlice(List.of(state("c", 2), state("n", 1)), EARLY)))
                .containsExactly(state("c", 2), state("c", 3));
    }

    @Test
    void untilTheNextReadBeginsAChangeToACounterNotYetWalkedIsLeftToThatRead() {
        walk.slice(slice(EARLY, "a", "b"));

        // committed before the next read begins, so that read holds it: nothing waits
        assertThat(walk.change(change("c", 2, 106))).isEmpty();
        assertThat(walk.remembered()).isZero();
        // a counter born meanwhile is still sent from its first version, and its slice skips it
        assertThat(walk.change(change("n", 1, 107))).containsExactly(state("n", 1));
        // a counter already walked is decided by its slice's snapshot as before
        assertThat(walk.change(change("a", 2, 108))).containsExactly(state("a", 2));

        walk.reading();
        assertThat(walk.change(change("c", 3, 109))).isEmpty();
        assertThat(walk.remembered()).isEqualTo(2);
        assertThat(walk.slice(new CounterSlice(List.of(state("c", 2), state("n", 1)), EARLY)))
                .containsExactly(state("c", 2), state("c", 3));
        assertThat(walk.remembered()).isZero();
    }

    @Test
    void aSnapshotSeesTheTransactionsThatEndedBeforeIt() {
        DatabaseSnapshot snapshot = DatabaseSnapshot.parse(EARLY);

        assertThat(List.of(99L, 100L, 101L, 102L, 103L, 104L, 105L, 106L))
                .map(snapshot::sees)
                .containsExactly(true, false, true, false, true, true, false, false);
        assertThat(DatabaseSnapshot.parse(LATER).sees(109)).isTrue();
        assertThat(DatabaseSnapshot.parse(LATER).sees(110)).isFalse();
    }

    private static CounterSlice slice(String snapshot, String... ids) {
        return new CounterSlice(List.of(ids).stream().map(id -> state(id, 1)).toList(), snapshot);
    }

    private static CounterCommitted change(String id, long version, long transaction) {
        return new CounterCommitted(state(id, version), transaction);
    }

    private static CounterView state(String id, long version) {
        return new CounterView(id, version, version, Instant.EPOCH);
    }
}
