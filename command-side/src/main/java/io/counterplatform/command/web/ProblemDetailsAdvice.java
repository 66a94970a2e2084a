package io.counterplatform.command.web;

import io.counterplatform.api.counter.IncrementRejection;
import io.counterplatform.support.problem.ProblemDetailsSupport;
import io.counterplatform.support.problem.Refusal;
import java.util.concurrent.TimeoutException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.NoHandlerForCommandException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;

/** The one place where failures become statuses: every error is an {@code application/problem+json} answer. */
@RestControllerAdvice
class ProblemDetailsAdvice extends ProblemDetailsSupport {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    /** A rejection the aggregate explained, or a command that was not confirmed (no handler counts as one). */
    @ExceptionHandler({CommandExecutionException.class, NoHandlerForCommandException.class})
    ResponseEntity<Object> commandFailed(Exception failure, WebRequest request) {
        return refuse(
                failure instanceof CommandExecutionException execution
                                && execution.getDetails().orElse(null) instanceof IncrementRejection rejection
                        ? rejected(rejection)
                        : unconfirmed(failure),
                request);
    }

    private static Refusal rejected(IncrementRejection rejection) {
        return switch (rejection.reason()) {
            case VERSION_MISMATCH -> refused(rejection, HttpStatus.PRECONDITION_FAILED, "version-mismatch");
            case IDEMPOTENCY_KEY_REUSED ->
                refused(rejection, HttpStatus.UNPROCESSABLE_ENTITY, "idempotency-key-reused");
            case OVERFLOW -> refused(rejection, HttpStatus.CONFLICT, "overflow");
            case IDEMPOTENCY_KEYS_UNAVAILABLE -> retryLater(rejection.detail());
        };
    }

    /** A refusal names the version the counter is at, in the body and as the ETag. */
    private static Refusal refused(IncrementRejection rejection, HttpStatus status, String kind) {
        Refusal refused =
                new Refusal(status, kind, rejection.detail()).property("currentVersion", rejection.currentVersion());
        refused.getHeaders().setETag(Long.toString(rejection.currentVersion())); // quoted by Spring
        return refused;
    }

    private static Refusal unconfirmed(Exception failure) {
        boolean timedOut = failure.getCause() instanceof TimeoutException;
        log.warn("Command failed: {}", failure.toString(), timedOut ? null : failure);
        return retryLater("the increment was not confirmed; retry with the same Idempotency-Key");
    }

    private static Refusal retryLater(String detail) {
        return new Refusal(HttpStatus.SERVICE_UNAVAILABLE, "command-failed", detail)
                .header(HttpHeaders.RETRY_AFTER, "1");
    }
}
