package io.counterplatform.api.counter;

/** A request broke one of the {@link CounterRules}; nothing was changed. */
public class InvalidCounterInput extends IllegalArgumentException {

    public InvalidCounterInput(String field, String rule) {
        super(field + " " + rule);
    }
}
