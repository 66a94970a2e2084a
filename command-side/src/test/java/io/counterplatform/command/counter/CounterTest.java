package io.counterplatform.command.counter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.counterplatform.api.counter.CounterIncremented;
import io.counterplatform.api.counter.IncrementCounter;
import io.counterplatform.api.counter.IncrementRejection.Reason;
import io.counterplatform.api.counter.IncrementResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CounterTest {

    private final List<CounterIncremented> reserved = new ArrayList<>();
    private FixtureConfiguration<Counter> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Counter.class);
        fixture.registerInjectableResource(new KeysInTheEventStore());
        // the fixture loads the counter from its given events every time: it is never behind the store
        fixture.registerInjectableResource(mock(StoredVersions.class));
    }

    @Test
    void givenNoCounter_whenIncrement_thenCreatedAtValueOfTheAmount() {
        fixture.givenNoPriorActivity()
                .when(new IncrementCounter("c-1", 4, null, null))
                .expectEvents(new CounterIncremented("c-1", 4, 4, null, 1))
                .expectResultMessagePayload(new IncrementResult("c-1", 4, 1, false));
    }

    @Test
    void givenValueFive_whenIncrementByThree_thenValueEight() {
        fixture.given(new CounterIncremented("c-1", 5, 5, null, 1))
                .when(new IncrementCounter("c-1", 3, null, null))
                .expectEvents(new CounterIncremented("c-1", 3, 8, null, 2))
                .expectResultMessagePayload(new IncrementResult("c-1", 8, 2, false));
    }

    @Test
    void givenKeyUsed_whenSameKeyAndAmount_thenFirstAnswerAgainAndNoEvent() {
        fixture.given(new CounterIncremented("c-1", 2, 2, "k", 1), new CounterIncremented("c-1", 1, 3, null, 2))
                .when(new IncrementCounter("c-1", 2, "k", null))
                .expectNoEvents()
                .expectResultMessagePayload(new IncrementResult("c-1", 2, 1, true));
    }

    @Test
    void givenKeyUsed_whenSameKeyOtherAmount_thenRefusedAndNoEvent() {
        fixture.given(new CounterIncremented("c-1", 2, 2, "k", 1))
                .when(new IncrementCounter("c-1", 3, "k", null))
                .expectNoEvents()
                .expectException(IncrementRefused.class)
                .expectException(refusal(Reason.IDEMPOTENCY_KEY_REUSED));
    }

    @Test
    void givenKeyUsed_whenSameKeyWithStaleIfMatch_thenFirstAnswerAgain() {
        fixture.given(new CounterIncremented("c-1", 2, 2, "k", 1), new CounterIncremented("c-1", 1, 3, null, 2))
                .when(new IncrementCounter("c-1", 2, "k", 0L))
                .expectNoEvents()
                .expectResultMessagePayload(new IncrementResult("c-1", 2, 1, true));
    }

    @Test
    void givenVersionTwo_whenIfMatchOne_thenRefusedAndNoEvent() {
        fixture.given(new CounterIncremented("c-1", 1, 1, null, 1), new CounterIncremented("c-1", 1, 2, null, 2))
                .when(new IncrementCounter("c-1", 1, null, 1L))
                .expectNoEvents()
                .expectException(refusal(Reason.VERSION_MISMATCH));
    }

    @Test
    void givenVersionTwo_whenIfMatchThree_thenRefusedAndNoEvent() {
        fixture.given(new CounterIncremented("c-1", 1, 1, null, 1), new CounterIncremented("c-1", 1, 2, null, 2))
                .when(new IncrementCounter("c-1", 1, null, 3L))
                .expectNoEvents()
                .expectException(refusal(Reason.VERSION_MISMATCH));
    }

    @Test
    void givenVersionTwo_whenIfMatchTwo_thenIncremented() {
        fixture.given(new CounterIncremented("c-1", 1, 1, null, 1), new CounterIncremented("c-1", 1, 2, null, 2))
                .when(new IncrementCounter("c-1", 1, null, 2L))
                .expectEvents(new CounterIncremented("c-1", 1, 3, null, 3));
    }

    @Test
    void givenNoCounter_whenIfMatchZero_thenCreated() {
        fixture.givenNoPriorActivity()
                .when(new IncrementCounter("c-1", 1, null, 0L))
                .expectEvents(new CounterIncremented("c-1", 1, 1, null, 1));
    }

    @Test
    void givenNoCounter_whenIfMatchOne_thenRefused() {
        fixture.givenNoPriorActivity()
                .when(new IncrementCounter("c-1", 1, null, 1L))
                .expectNoEvents()
                .expectException(refusal(Reason.VERSION_MISMATCH));
    }

    @Test
    void givenMaxValueMinusOne_whenIncrementByOne_thenMaxValue() {
        fixture.given(new CounterIncremented("c-1", Long.MAX_VALUE - 1, Long.MAX_VALUE - 1, null, 1))
                .when(new IncrementCounter("c-1", 1, null, null))
                .expectEvents(new CounterIncremented("c-1", 1, Long.MAX_VALUE, null, 2));
    }

    @Test
    void givenMaxValue_whenIncrement_thenOverflowRefusedAndNoEvent() {
        fixture.given(new CounterIncremented("c-1", Long.MAX_VALUE, Long.MAX_VALUE, null, 1))
                .when(new IncrementCounter("c-1", 1, null, null))
                .expectNoEvents()
                .expectException(refusal(Reason.OVERFLOW));
    }

    @Test
    void givenNewKey_whenIncrement_thenKeyReservedForTheEventItIsAppendedWith() {
        fixture.given(new CounterIncremented("c-1", 1, 1, null, 1))
                .when(new IncrementCounter("c-1", 2, "k", null))
                .expectEvents(new CounterIncremented("c-1", 2, 3, "k", 2));

        assertThat(reserved).containsExactly(new CounterIncremented("c-1", 2, 3, "k", 2));
    }

    @Test
    void givenRefusal_whenKeyed_thenNothingReserved() {
        fixture.given(new CounterIncremented("c-1", 1, 1, null, 1))
                .when(new IncrementCounter("c-1", 2, "k", 5L))
                .expectException(refusal(Reason.VERSION_MISMATCH));

        assertThat(reserved).isEmpty();
    }

    /** Keys as the event store holds them: a key was used if one of the counter's events carries it. */
    private final class KeysInTheEventStore implements IdempotencyKeys {

        @Override
        public Optional<CounterIncremented> firstUse(String counterId, String idempotencyKey, long version) {
            return fixture.getEventStore()
                    .readEvents(counterId)
                    .asStream()
                    .map(event -> (CounterIncremented) event.getPayload())
                    .filter(event -> idempotencyKey.equals(event.idempotencyKey()))
                    .findFirst();
        }

        @Override
        public void reserve(CounterIncremented increment) {
            reserved.add(increment);
        }
    }

    private static Matcher<IncrementRefused> refusal(Reason reason) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(IncrementRefused refused) {
                return refused.rejection().reason() == reason;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a refusal for " + reason);
            }
        };
    }
}
