package io.counterplatform.query.readmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.junit.jupiter.api.Test;

/**
 * How far a new version is towards the head the store had when its rebuild began, whatever the store's numbering:
 * Axon Server counts its events from 0, the JDBC store from 1. Only a version that has read up to that head is
 * done, and a store that was empty is no wait at all.
 */
class RebuildProgressTest {

    @Test
    void onAxonServerThePositionOfTheNewestEventIsOneLessThanTheirNumber() {
        // three events, at 0, 1 and 2
        assertThat(ReadModels.progress(tokens(null, null), 2L)).isZero();
        assertThat(ReadModels.progress(tokens(new GlobalSequenceTrackingToken(0), null), 2L))
                .isZero();
        assertThat(ReadModels.progress(
                        tokens(new GlobalSequenceTrackingToken(2), new GlobalSequenceTrackingToken(0)), 2L))
                .isEqualTo(1 / 3.0);
        assertThat(ReadModels.progress(
                        tokens(new GlobalSequenceTrackingToken(2), new GlobalSequenceTrackingToken(2)), 2L))
                .isEqualTo(1);
        // one event, at 0
        assertThat(ReadModels.progress(tokens(new GlobalSequenceTrackingToken(0)), 0L))
                .isEqualTo(1);
    }

    @Test
    void inTheJdbcStoreThePositionOfTheNewestEventIsTheirNumber() {
        assertThat(ReadModels.progress(tokens(GapAwareTrackingToken.newInstance(1, List.of())), 4L))
                .isEqualTo(2 / 5.0);
        assertThat(ReadModels.progress(tokens(GapAwareTrackingToken.newInstance(4, List.of())), 4L))
                .isEqualTo(1);
        assertThat(ReadModels.progress(tokens(GapAwareTrackingToken.newInstance(9, List.of())), 4L))
                .isEqualTo(1);
    }

    @Test
    void aReplayCountsWhatItHasRead() {
        TrackingToken head = new GlobalSequenceTrackingToken(9);
        TrackingToken halfWay = ReplayToken.createReplayToken(head, new GlobalSequenceTrackingToken(4));
        assertThat(ReadModels.progress(tokens(halfWay), 9L)).isEqualTo(0.5);
    }

    @Test
    void anEmptyStoreIsDoneAndAVersionWithoutSegmentsHasNotBegun() {
        assertThat(ReadModels.progress(tokens((TrackingToken) null), null)).isEqualTo(1);
        assertThat(ReadModels.progress(List.of(), null)).isZero();
        assertThat(ReadModels.progress(List.of(), 5L)).isZero();
    }

    private static List<TrackingToken> tokens(TrackingToken... bySegment) {
        return Arrays.asList(bySegment);
    }
}
