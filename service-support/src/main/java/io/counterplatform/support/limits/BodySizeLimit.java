package io.counterplatform.support.limits;

import io.counterplatform.support.problem.Refusal;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.util.ContentCachingRequestWrapper;

/**
 * Refuses a request body larger than the limit with a {@code 413}: at once when its {@code Content-Length} says
 * so, and when a chunked body passes the limit while it is read, as a stream or a reader (Spring's
 * content-caching wrapper counts the bytes; the read then fails with {@link TooLarge}). Servlet containers bound
 * only form posts, and every body here is small JSON; multipart parsing, which reads around this filter, is off.
 */
public final class BodySizeLimit extends OncePerRequestFilter {

    private final int maxBytes;
    private final HandlerExceptionResolver problems;

    BodySizeLimit(long maxBytes, HandlerExceptionResolver problems) {
        this.maxBytes = (int) Math.min(maxBytes, Integer.MAX_VALUE); // what a servlet request can count
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            new TooLarge(maxBytes).refusal().send(problems, request, response);
            return;
        }
        try {
            chain.doFilter(
                    new ContentCachingRequestWrapper(request, maxBytes) {
                        @Override
                        protected void handleContentOverflow(int limit) {
                            throw new TooLarge(limit);
                        }

                        @Override
                        public String getCharacterEncoding() {
                            // unnamed: JSON's UTF-8, not the servlet default ISO-8859-1 this wrapper would report
                            String named = getRequest().getCharacterEncoding();
                            return named != null ? named : StandardCharsets.UTF_8.name();
                        }
                    },
                    response);
        } catch (TooLarge tooLarge) {
            // read by a filter before any controller (a form body): no exception handler saw it
            tooLarge.refusal().send(problems, request, response);
        }
    }

    /** What reading past the limit throws; the service's error handling answers {@code 413}. */
    public static final class TooLarge extends RuntimeException {
        TooLarge(long maxBytes) {
            super("the request body may hold at most " + maxBytes + " bytes");
        }

        /** The unread body is not worth draining: the connection is closed after the answer. */
        public Refusal refusal() {
            return new Refusal(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", getMessage())
                    .header(HttpHeaders.CONNECTION, "close");
        }
    }
}
