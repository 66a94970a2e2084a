package io.counterplatform.command.counter;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;

/**
 * The optional body of an increment. An absent amount means 1; an explicit {@code null} is an error. (A class,
 * not a record: Jackson treats a record's absent property as null, and the two must differ.)
 */
final class IncrementRequest {

    @JsonProperty
    @JsonSetter(nulls = Nulls.FAIL)
    private Long amount;

    long amountOrOne() {
        return amount == null ? 1 : amount;
    }
}
