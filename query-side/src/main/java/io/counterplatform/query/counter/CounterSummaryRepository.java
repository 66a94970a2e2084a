package io.counterplatform.query.counter;

import org.springframework.data.jpa.repository.JpaRepository;

/** Reads the read model; the projection writes it with plain JDBC (see {@link StateBatch}). */
interface CounterSummaryRepository extends JpaRepository<CounterSummary, String> {}
