package io.counterplatform.api.counter;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CounterRulesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a",
                "A",
                "0",
                "a.b",
                "a_b",
                "a-b",
                "visits-2026.11",
                "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-abcdefghijklmnopqrstuvwxy"
            })
    void acceptsIdsOfOneToSixtyFourSafeCharactersStartingWithALetterOrDigit(String id) {
        assertThatCode(() -> CounterRules.requireValidId(id)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "-a",
                ".a",
                "_a",
                "a b",
                "a/b",
                "ä",
                "a\n",
                "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-abcdefghijklmnopqrstuvwxyz"
            })
    void refusesAnyOtherId(String id) {
        assertThatThrownBy(() -> CounterRules.requireValidId(id))
                .isInstanceOf(InvalidCounterInput.class)
                .hasMessageStartingWith("counterId");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void refusesAmountsBelowOne(long amount) {
        assertThatThrownBy(() -> new IncrementCounter("a", amount, null, null)).isInstanceOf(InvalidCounterInput.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "with space", "tab\t", "ünïcode"})
    void refusesKeysOutsideVisibleAscii(String key) {
        assertThatThrownBy(() -> new IncrementCounter("a", 1, key, null)).isInstanceOf(InvalidCounterInput.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 128})
    void acceptsKeysOfOneTo128VisibleCharacters(int length) {
        assertThatCode(() -> new IncrementCounter("a", Long.MAX_VALUE, "~".repeat(length), 0L))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(ints = {129})
    void refusesLongerKeys(int length) {
        assertThatThrownBy(() -> new IncrementCounter("a", 1, "k".repeat(length), null))
                .isInstanceOf(InvalidCounterInput.class);
    }
}
