package io.counterplatform.command.web;

import io.counterplatform.api.counter.IncrementRejection;
import io.counterplatform.support.ProblemDetailsSupport;
import java.util.concurrent.TimeoutException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.NoHandlerForCommandException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The one place where failures become statuses: every error is an {@code application/problem+json} answer. */
@RestControllerAdvice
class ProblemDetailsAdvice extends ProblemDetailsSupport {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    /** A rejection the aggregate explained, or a command that was not confirmed (no handler counts as one). */
    @ExceptionHandler({CommandExecutionException.class, NoHandlerForCommandException.class})
    ResponseEntity<Object> commandFailed(Exception failure) {
        return failure instanceof CommandExecutionException execution
                        && execution.getDetails().orElse(null) instanceof IncrementRejection rejection
                ? rejected(rejection)
                : unavailable(failure);
    }

    private static ResponseEntity<Object> rejected(IncrementRejection rejection) {
        return switch (rejection.reason()) {
            case VERSION_MISMATCH ->
                refused(
                        rejection,
                        problem(
                                HttpStatus.PRECONDITION_FAILED,
                                "version-mismatch",
                                "Version mismatch",
                                rejection.detail()));
            case IDEMPOTENCY_KEY_REUSED ->
                refused(
                        rejection,
                        problem(
                                HttpStatus.UNPROCESSABLE_ENTITY,
                                "idempotency-key-reused",
                                "Idempotency key reused with a different request",
                                rejection.detail()));
            case OVERFLOW ->
                refused(
                        rejection,
                        problem(HttpStatus.CONFLICT, "overflow", "Counter would overflow", rejection.detail()));
            case IDEMPOTENCY_KEYS_UNAVAILABLE -> retryLater(rejection.detail());
        };
    }

    /** A refusal names the version the counter is at, in the body and as the ETag. */
    private static ResponseEntity<Object> refused(IncrementRejection rejection, ProblemDetail problem) {
        problem.setProperty("currentVersion", rejection.currentVersion());
        HttpHeaders headers = new HttpHeaders();
        headers.setETag(Long.toString(rejection.currentVersion())); // quoted by Spring
        return answer(problem, headers);
    }

    private static ResponseEntity<Object> unavailable(Exception failure) {
        boolean timedOut = failure.getCause() instanceof TimeoutException;
        log.warn("Command failed: {}", failure.toString(), timedOut ? null : failure);
        return retryLater("the increment was not confirmed; retry with the same Idempotency-Key");
    }

    private static ResponseEntity<Object> retryLater(String detail) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "1");
        return answer(
                problem(HttpStatus.SERVICE_UNAVAILABLE, "command-failed", "Command not processed", detail), headers);
    }
}
