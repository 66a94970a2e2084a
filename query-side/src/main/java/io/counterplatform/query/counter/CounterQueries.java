package io.counterplatform.query.counter;

import io.counterplatform.api.counter.CounterPage;
import io.counterplatform.api.counter.CounterView;
import io.counterplatform.api.counter.FindCounter;
import io.counterplatform.api.counter.FindCounters;
import java.util.Optional;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Component;

/** Answers questions about counters from the {@code counter_summary} read model. */
@Component
class CounterQueries {

    private final CounterSummaryRepository counters;

    CounterQueries(CounterSummaryRepository counters) {
        this.counters = counters;
    }

    @QueryHandler
    Optional<CounterView> handle(FindCounter query) {
        return counters.findById(query.counterId()).map(CounterSummary::toView);
    }

    @QueryHandler
    CounterPage handle(FindCounters query) {
        Page<CounterSummary> page = counters.findAll(PageRequest.of(query.page(), query.size(), Sort.by("counterId")));
        return new CounterPage(
                page.map(CounterSummary::toView).getContent(), query.page(), query.size(), page.getTotalElements());
    }
}
