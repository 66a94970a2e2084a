package io.counterplatform.support;

import io.counterplatform.api.counter.InvalidCounterInput;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The base of each service's one {@code @RestControllerAdvice}: every error, Spring's own included, is an
 * {@code application/problem+json} answer with a stable {@code type}.
 */
public abstract class ProblemDetailsSupport extends ResponseEntityExceptionHandler {

    private static final String TYPE_PREFIX = "urn:counter-platform:problem:";

    protected static ProblemDetail problem(HttpStatusCode status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_PREFIX + type));
        problem.setTitle(title);
        return problem;
    }

    /** Always {@code application/problem+json}, whatever the client said it accepts. */
    protected static ResponseEntity<Object> answer(ProblemDetail problem, HttpHeaders headers) {
        return ResponseEntity.status(problem.getStatus())
                .headers(headers)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    @ExceptionHandler(InvalidCounterInput.class)
    protected ResponseEntity<Object> invalidInput(InvalidCounterInput invalid) {
        return answer(
                problem(HttpStatus.BAD_REQUEST, "invalid-input", "Invalid input", invalid.getMessage()),
                HttpHeaders.EMPTY);
    }

    /** Spring's own errors get a type named after their title, e.g. {@code unsupported-media-type}. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex, @Nullable Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> entity = super.handleExceptionInternal(ex, body, headers, status, request);
        if (entity != null && entity.getBody() instanceof ProblemDetail problem) {
            if (problem.getType() == null
                    || "about:blank".equals(problem.getType().toString())) {
                String title = problem.getTitle() == null ? "error" : problem.getTitle();
                problem.setType(URI.create(TYPE_PREFIX + title.toLowerCase().replaceAll("[^a-z0-9]+", "-")));
            }
            return answer(problem, entity.getHeaders());
        }
        return entity;
    }
}
