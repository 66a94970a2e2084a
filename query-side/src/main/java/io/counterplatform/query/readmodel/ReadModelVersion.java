package io.counterplatform.query.readmodel;

/** One version of a read model: its own table and its own processing group. */
public record ReadModelVersion(String model, int number) {

    /** The view readers query. */
    public String view() {
        return model.replace('-', '_');
    }

    public String table() {
        return view() + "_" + number;
    }

    public String processor() {
        return model + "-" + number;
    }
}
