package io.counterplatform.query.counter;

import io.counterplatform.api.counter.CounterView;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of the {@code counter_summary} read model: the latest value and version of one counter. */
@Entity
@Table(name = "counter_summary")
class CounterSummary {

    @Id
    @Column(name = "counter_id")
    private String counterId;

    private long value;
    private long version;

    @Column(name = "updated_at")
    private Instant updatedAt;

    protected CounterSummary() {
        // for JPA
    }

    CounterView toView() {
        return new CounterView(counterId, value, version, updatedAt);
    }
}
