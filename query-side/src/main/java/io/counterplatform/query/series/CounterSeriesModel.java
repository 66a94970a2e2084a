package io.counterplatform.query.series;

import io.counterplatform.query.readmodel.ReadModel;
import io.counterplatform.query.readmodel.ReadModelVersion;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code counter_series}: increments and amounts per counter and minute, hour and day. Deployed onto an existing
 * event store, its first version starts at the first event and fills the series by itself.
 */
@Component
class CounterSeriesModel implements ReadModel {

    private final JdbcClient jdbc;

    CounterSeriesModel(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String name() {
        return "counter-series";
    }

    @Override
    public Object projection(ReadModelVersion version) {
        return new CounterSeriesProjection(jdbc, version);
    }
}
