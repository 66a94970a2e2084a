package io.counterplatform.query.counter;

import io.counterplatform.api.counter.CounterView;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import java.time.Instant;

/** A row of the {@code counter_summary} read model: the latest value and version of one counter. */
@Entity
class CounterSummary {

    @Id
    private String counterId;

    private long value;
    private long version;

    private Instant updatedAt;

    protected CounterSummary() {
        // for JPA
    }

    CounterView toView() {
        return new CounterView(counterId, value, version, updatedAt);
    }
}
