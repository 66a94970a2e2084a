package io.counterplatform.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.counterplatform.api.counter.CounterRules;
import io.counterplatform.api.counter.InvalidCounterInput;
import io.counterplatform.support.limits.BodySizeLimit;
import io.counterplatform.support.security.ProblemResponses;
import jakarta.servlet.http.HttpServletResponse;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.axonframework.axonserver.connector.AxonServerException;
import org.axonframework.common.AxonTransientException;
import org.axonframework.common.ExceptionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.Nullable;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.transaction.TransactionException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The base of each service's one {@code @RestControllerAdvice}: every error, Spring's own included, is an
 * {@code application/problem+json} answer with a stable {@code type}.
 */
public abstract class ProblemDetailsSupport extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsSupport.class);

    protected static ProblemDetail problem(HttpStatusCode status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(ProblemResponses.type(type));
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

    protected static ResponseEntity<Object> badRequest(String type, String title, String detail) {
        return answer(problem(HttpStatus.BAD_REQUEST, type, title, detail), HttpHeaders.EMPTY);
    }

    /**
     * A body that could not be read, said in the client's terms: which field, what was wrong with it. Jackson's own
     * text names classes and coercion settings, so it never reaches the client.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return ExceptionUtils.findException(ex, BodySizeLimit.TooLarge.class)
                .map(ProblemDetailsSupport::payloadTooLarge)
                .orElseGet(() -> badRequest("malformed-body", "Malformed request body", unreadableBody(ex)));
    }

    private static String unreadableBody(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getCause();
        String original = cause instanceof JsonProcessingException json ? json.getOriginalMessage() : null;
        if (original != null && original.startsWith("Duplicate field")) {
            return "the body names a field twice";
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return "the body has a field that is not accepted: \"" + printable(unknown.getPropertyName()) + "\"";
        }
        if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().get(mapping.getPath().size() - 1).getFieldName();
            String rule = "amount".equals(field) ? CounterRules.AMOUNT_RULE : null; // more than a type
            return rule != null ? field + " " + rule : "\"" + printable(field) + "\" has a value of the wrong type";
        }
        if (cause instanceof JsonMappingException) {
            return original != null && original.contains("Trailing")
                    ? "the body holds more than one JSON value"
                    : "the body must be a JSON object";
        }
        if (cause instanceof JsonProcessingException) {
            return "the body is not valid JSON";
        }
        return "the body could not be read";
    }

    private static String printable(String text) {
        String shown = text == null ? "" : text.replaceAll("[^\\x20-\\x7E]", "?");
        return shown.length() > 64 ? shown.substring(0, 64) + "..." : shown;
    }

    /** A parameter out of its range, in the parameter's own name: {@code waitMillis must be less than ...}. */
    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = ex.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream()
                        .map(error -> result.getMethodParameter().getParameterName() + " " + error.getDefaultMessage()))
                .collect(Collectors.joining("; "));
        return badRequest("invalid-input", "Invalid input", detail.isEmpty() ? "a parameter is out of range" : detail);
    }

    /** A required parameter left out is invalid input like any other. */
    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException ex,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        return badRequest("invalid-input", "Invalid input", ex.getParameterName() + " is required");
    }

    /** A parameter that is not of its type, said in the client's terms rather than Java's. */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String name = ex instanceof MethodArgumentTypeMismatchException argument ? argument.getName() : "a parameter";
        Class<?> type = ex.getRequiredType();
        String expected = type != null && (Number.class.isAssignableFrom(type) || type.isPrimitive())
                ? "a whole number"
                : type == Instant.class
                        ? "an ISO-8601 instant such as 2026-01-01T00:00:00Z"
                        : type == UUID.class ? "a UUID" : "a valid value";
        return badRequest("invalid-input", "Invalid input", name + " must be " + expected);
    }

    /** A header value the firewall refuses once a controller reads it (a non-printable byte, say). */
    @ExceptionHandler(RequestRejectedException.class)
    protected ResponseEntity<Object> rejected(RequestRejectedException rejected) {
        return badRequest("rejected-request", "Rejected request", "a header holds characters that are not accepted");
    }

    @ExceptionHandler(InvalidCounterInput.class)
    protected ResponseEntity<Object> invalidInput(InvalidCounterInput invalid) {
        return badRequest("invalid-input", "Invalid input", invalid.getMessage());
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
                problem.setType(ProblemResponses.type(ProblemResponses.kindOf(title)));
            }
            return answer(problem, entity.getHeaders());
        }
        return entity;
    }

    /**
     * Whatever no other handler maps becomes a {@code 503} (the database or Axon Server is out of reach) or a
     * {@code 500}, never a success: left to Spring, a failure whose cause chain mentions a broken pipe (the
     * database's socket, not the client's) is taken for a departed client and answered with an empty {@code 200}.
     */
    @ExceptionHandler(Exception.class)
    protected ResponseEntity<Object> unmapped(Exception failure, WebRequest request) {
        HttpServletResponse response = request instanceof ServletWebRequest servlet ? servlet.getResponse() : null;
        if (response != null && response.isCommitted()) {
            log.debug("Failure after the answer was sent: {}", failure.toString());
            return null;
        }
        Optional<BodySizeLimit.TooLarge> tooLarge = ExceptionUtils.findException(failure, BodySizeLimit.TooLarge.class);
        if (tooLarge.isPresent()) {
            return payloadTooLarge(tooLarge.get());
        }
        HttpHeaders headers = new HttpHeaders();
        if (isUnavailable(failure)) {
            log.warn("Request failed, storage unavailable: {}", failure.toString());
            headers.set(HttpHeaders.RETRY_AFTER, "1");
            return answer(
                    problem(
                            HttpStatus.SERVICE_UNAVAILABLE,
                            "unavailable",
                            "Service unavailable",
                            "the request could not be completed; retry it (an increment with the same "
                                    + "Idempotency-Key)"),
                    headers);
        }
        log.error("Request failed unexpectedly", failure);
        return answer(
                problem(
                        HttpStatus.INTERNAL_SERVER_ERROR,
                        "internal-error",
                        "Internal error",
                        "the request could not be completed"),
                headers);
    }

    private static ResponseEntity<Object> payloadTooLarge(BodySizeLimit.TooLarge tooLarge) {
        HttpHeaders headers = new HttpHeaders();
        headers.setConnection("close");
        return answer(
                problem(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", "Payload too large", tooLarge.getMessage()),
                headers);
    }

    /** A failure to reach the database or Axon Server, rather than a fault in the request or the code. */
    protected static boolean isUnavailable(Throwable failure) {
        return ExceptionUtils.findException(
                        failure,
                        cause -> cause instanceof SQLException
                                || cause instanceof DataAccessException
                                || cause instanceof TransactionException
                                || cause instanceof AxonTransientException
                                || cause instanceof AxonServerException)
                .isPresent();
    }
}
