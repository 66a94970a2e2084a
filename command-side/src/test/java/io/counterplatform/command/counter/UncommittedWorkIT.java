package io.counterplatform.command.counter;

import static org.assertj.core.api.Assertions.assertThat;

import io.counterplatform.api.counter.IncrementCounter;
import io.counterplatform.command.IntegrationTest;
import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.Http.Response;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.DefaultTransactionDefinition;

/**
 * A unit of work that does not commit leaves no trace: not in the event store, not in the aggregate cache. The
 * client hears "not confirmed", and its retry with the same idempotency key is answered from what was stored,
 * whether the failed commit in fact stored the event or not.
 */
@IntegrationTest
@Import(UncommittedWorkIT.FailingCommits.class)
class UncommittedWorkIT {

    @LocalServerPort
    private int port;

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void anIncrementWhoseCommitFailsIsNotRememberedAndItsRetryAppendsIt() {
        increment("lost-commit", "warm-up");

        Response failed = increment("lost-commit", "fail-before-commit-1");
        Response retry = increment("lost-commit", "fail-before-commit-1");

        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.contentType()).isEqualTo("application/problem+json");
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.header("Idempotent-Replayed")).isEmpty();
        assertThat(retry.body()).isEqualTo("{\"counterId\":\"lost-commit\",\"value\":2,\"version\":2}");
        assertThat(storedEvents("lost-commit")).isEqualTo(2);
    }

    @Test
    void anIncrementStoredByACommitReportedAsFailedIsAnsweredFromTheStoreOnRetry() {
        increment("unknown-commit", "warm-up");

        Response failed = increment("unknown-commit", "fail-after-commit-1");
        Response retry = increment("unknown-commit", "fail-after-commit-1");

        assertThat(failed.status()).isEqualTo(503);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.header("Idempotent-Replayed")).contains("true");
        assertThat(retry.body()).isEqualTo("{\"counterId\":\"unknown-commit\",\"value\":2,\"version\":2}");
        assertThat(storedEvents("unknown-commit")).isEqualTo(2);
    }

    private Response increment(String counterId, String idempotencyKey) {
        return Http.commandSide("http://localhost:" + port)
                .post("/api/counters/" + counterId + "/increments", null, null, "Idempotency-Key", idempotencyKey);
    }

    private long storedEvents(String counterId) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM DomainEventEntry WHERE aggregateIdentifier = ?", Long.class, counterId);
    }

    /**
     * Axon's transactions, failing the commit of a command whose idempotency key asks for it: before the database
     * commit (after the event was appended and the aggregate cached), or after it, as when the acknowledgement of
     * a commit is lost on the way back. Only the first try of each such key fails.
     */
    @TestConfiguration
    static class FailingCommits {

        private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

        @Bean
        TransactionManager failingCommits(PlatformTransactionManager transactions) {
            return () -> {
                TransactionStatus status = transactions.getTransaction(new DefaultTransactionDefinition());
                return new Transaction() {
                    @Override
                    public void commit() {
                        String failure = status.isNewTransaction() ? injectedFailure() : "";
                        if (failure.equals("fail-before-commit")) {
                            transactions.rollback(status);
                            throw new TransactionSystemException("injected: commit failed");
                        }
                        transactions.commit(status);
                        if (failure.equals("fail-after-commit")) {
                            throw new TransactionSystemException("injected: acknowledgement of the commit lost");
                        }
                    }

                    @Override
                    public void rollback() {
                        if (!status.isCompleted()) {
                            transactions.rollback(status);
                        }
                    }
                };
            };
        }

        private String injectedFailure() {
            if (CurrentUnitOfWork.isStarted()
                    && CurrentUnitOfWork.get().getMessage().getPayload() instanceof IncrementCounter command
                    && command.idempotencyKey() != null
                    && command.idempotencyKey().startsWith("fail-")
                    && failedOnce.add(command.idempotencyKey())) {
                return command.idempotencyKey()
                        .substring(0, command.idempotencyKey().lastIndexOf('-'));
            }
            return "";
        }
    }
}
