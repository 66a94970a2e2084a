package io.counterplatform.query.readmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.junit.jupiter.api.Test;

/** When a new version has seen every event the live one has, from both versions' tokens segment by segment. */
class VersionsCoverTest {

    @Test
    void withTheSameSegmentsEachIsComparedWithItsOwn() {
        // segment 1 of the live version last stored its token at 40: its events after that are in segment 0
        assertThat(ReadModels.covers(tokens(100, 45), tokens(100, 40))).isTrue();
        assertThat(ReadModels.covers(tokens(99, 45), tokens(100, 40))).isFalse();
        assertThat(ReadModels.covers(tokens(100, 39), tokens(100, 40))).isFalse();
    }

    @Test
    void aSegmentWithoutATokenHasSeenNothing() {
        assertThat(ReadModels.covers(tokens(100, null), tokens(100, null))).isTrue();
        assertThat(ReadModels.covers(tokens(100, null), tokens(100, 1))).isFalse();
        assertThat(ReadModels.covers(tokens(), tokens((Integer) null))).isTrue();
        assertThat(ReadModels.covers(tokens(), tokens(1))).isFalse();
    }

    @Test
    void withOtherSegmentsTheSlowestNewOneMustCoverTheFastestOldOne() {
        assertThat(ReadModels.covers(tokens(100), tokens(100, 40))).isTrue();
        assertThat(ReadModels.covers(tokens(100, 100), tokens(100))).isTrue();
        assertThat(ReadModels.covers(tokens(100, 99), tokens(100))).isFalse();
        assertThat(ReadModels.covers(tokens(100, null), tokens(1))).isFalse();
    }

    private static Map<Integer, TrackingToken> tokens(Integer... positions) {
        Map<Integer, TrackingToken> bySegment = new HashMap<>();
        for (int segment = 0; segment < positions.length; segment++) {
            bySegment.put(
                    segment, positions[segment] == null ? null : new GlobalSequenceTrackingToken(positions[segment]));
        }
        return bySegment;
    }
}
