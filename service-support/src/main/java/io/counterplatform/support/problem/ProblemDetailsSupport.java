package io.counterplatform.support.problem;

import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.counterplatform.api.counter.CounterRules;
import io.counterplatform.api.counter.InvalidCounterInput;
import io.counterplatform.support.limits.BodySizeLimit;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
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
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The base of each service's one {@code @RestControllerAdvice}: every error is a {@link Refusal} or one of Spring's
 * own, answered as {@code application/problem+json} with its type and title from Spring's message codes
 * ({@code messages.properties}).
 */
public abstract class ProblemDetailsSupport extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsSupport.class);

    /** Answers a refusal the way Spring answers its own errors. */
    protected ResponseEntity<Object> refuse(Refusal refusal, WebRequest request) {
        return handleErrorResponseException(refusal, refusal.getHeaders(), refusal.getStatusCode(), request);
    }

    protected static Refusal invalidInput(String detail) {
        return new Refusal(HttpStatus.BAD_REQUEST, "invalid-input", detail);
    }

    /**
     * The one rule for a body that could not be read: what was wrong, by Jackson's exception type, and where, as a
     * JSON pointer. Jackson's own text names classes and coercion settings, so it never reaches the client.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Refusal refusal = ExceptionUtils.findException(ex, BodySizeLimit.TooLarge.class)
                .map(BodySizeLimit.TooLarge::refusal)
                .orElseGet(() -> new Refusal(HttpStatus.BAD_REQUEST, "malformed-body", unreadable(ex.getCause())));
        return refuse(refusal, request);
    }

    private static String unreadable(Throwable cause) {
        if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String at = pointer(mapping.getPath());
            if (cause instanceof UnrecognizedPropertyException) {
                return "the body has a field that is not accepted: " + at;
            }
            return at.equals("/amount") ? "amount " + CounterRules.AMOUNT_RULE : at + " has a value of the wrong type";
        }
        if (cause instanceof JsonMappingException) {
            return "the body must be one JSON object";
        }
        if (cause instanceof StreamReadException read) {
            String at = read.getProcessor() == null
                    ? ""
                    : read.getProcessor().getParsingContext().pathAsPointer().toString();
            return "the body is not JSON this service reads" + (at.isEmpty() ? "" : " at " + printable(at))
                    + ": check its syntax, and name each field once";
        }
        return "the body could not be read";
    }

    private static String pointer(List<JsonMappingException.Reference> path) {
        return path.stream()
                .map(step -> step.getFieldName() != null ? printable(step.getFieldName()) : "" + step.getIndex())
                .collect(Collectors.joining("/", "/", ""));
    }

    private static String printable(String text) {
        String shown = text.replaceAll("[^\\x20-\\x7E]", "?");
        return shown.length() > 64 ? shown.substring(0, 64) + "..." : shown;
    }

    /** A content type this path does not read is a {@code 415} when there is a body to read, else a {@code 400}. */
    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(
            HttpMediaTypeNotSupportedException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (request instanceof ServletWebRequest servlet && !hasBody(servlet.getRequest())) {
            return refuse(
                    invalidInput("a request without a body must not name a Content-Type other than JSON"), request);
        }
        return super.handleHttpMediaTypeNotSupported(ex, headers, status, request);
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    /** A parameter out of its range, in the parameter's own name: {@code waitMillis must be less than ...}. */
    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = ex.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream()
                        .map(error -> result.getMethodParameter().getParameterName() + " " + error.getDefaultMessage()))
                .collect(Collectors.joining("; "));
        return refuse(invalidInput(detail.isEmpty() ? "a parameter is out of range" : detail), request);
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
        return refuse(invalidInput(name + " must be " + expected), request);
    }

    /** A header value the firewall refuses once a controller reads it (a non-printable byte, say). */
    @ExceptionHandler(RequestRejectedException.class)
    protected ResponseEntity<Object> rejected(RequestRejectedException rejected, WebRequest request) {
        return refuse(
                new Refusal(
                        HttpStatus.BAD_REQUEST, "rejected-request", "a header holds characters that are not accepted"),
                request);
    }

    @ExceptionHandler(InvalidCounterInput.class)
    protected ResponseEntity<Object> invalidInput(InvalidCounterInput invalid, WebRequest request) {
        return refuse(invalidInput(invalid.getMessage()), request);
    }

    /**
     * Every problem goes out as {@code application/problem+json}, whatever the client said it accepts; one of
     * Spring's errors that {@code messages.properties} does not name is typed after its title.
     */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex, @Nullable Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> entity = super.handleExceptionInternal(ex, body, headers, status, request);
        if (entity != null && entity.getBody() instanceof ProblemDetail problem) {
            if (problem.getInstance() == null && request instanceof ServletWebRequest servlet) {
                problem.setInstance(instance(servlet.getRequest().getRequestURI()));
            }
            if ("about:blank".equals(problem.getType().toString())) {
                problem.setType(
                        Refusal.type(Refusal.kindOf(problem.getTitle() == null ? "error" : problem.getTitle())));
            }
            return ResponseEntity.status(entity.getStatusCode())
                    .headers(entity.getHeaders())
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(problem);
        }
        return entity;
    }

    /** The path asked for; one that is no URI reference on its own ({@code //}) as the relative {@code .//}. */
    private static URI instance(String path) {
        try {
            return URI.create(path);
        } catch (IllegalArgumentException authorityExpected) {
            return URI.create("." + path);
        }
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
        Refusal refusal = ExceptionUtils.findException(failure, BodySizeLimit.TooLarge.class)
                .map(BodySizeLimit.TooLarge::refusal)
                .orElse(null);
        if (refusal == null && isUnavailable(failure)) {
            log.warn("Request failed, storage unavailable: {}", failure.toString());
            refusal = new Refusal(
                            HttpStatus.SERVICE_UNAVAILABLE,
                            "unavailable",
                            "the request could not be completed; retry it (an increment with the same "
                                    + "Idempotency-Key)")
                    .header(HttpHeaders.RETRY_AFTER, "1");
        } else if (refusal == null) {
            log.error("Request failed unexpectedly", failure);
            refusal = new Refusal(
                    HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "the request could not be completed");
        }
        return refuse(refusal, request);
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
