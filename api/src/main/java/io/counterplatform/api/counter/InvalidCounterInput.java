package io.counterplatform.api.counter;

/** A request broke one of the {@link CounterRules}; nothing was changed. */
public class InvalidCounterInput extends IllegalArgumentException {

    private final String field;

    public InvalidCounterInput(String field, String rule) {
        super(field + " " + rule);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
