package io.counterplatform.support.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/** Problem details written straight to the response, for what is refused before any controller runs. */
public final class ProblemResponses {

    private static final ObjectMapper JSON =
            Jackson2ObjectMapperBuilder.json().build(); // with Spring's mixin for problems
    private static final String TYPE_PREFIX = "urn:counter-platform:problem:";

    private ProblemResponses() {}

    /** The one form of a problem's {@code type}: {@code urn:counter-platform:problem:<kind>}. */
    public static URI type(String kind) {
        return URI.create(TYPE_PREFIX + kind);
    }

    /** The kind of a problem known only by its title or reason phrase: {@code Not Found} is {@code not-found}. */
    public static String kindOf(String title) {
        return title.toLowerCase().replaceAll("[^a-z0-9]+", "-");
    }

    /** A path that is not taken as sent: refused, never silently changed. */
    public static void rejectedPath(HttpServletResponse response) throws IOException {
        write(
                response,
                HttpStatus.BAD_REQUEST,
                "rejected-path",
                "Rejected path",
                "the path holds characters or sequences that are not accepted (;, encoded / or \\, %25, .., control "
                        + "characters)");
    }

    public static void write(HttpServletResponse response, HttpStatus status, String type, String title, String detail)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type(type));
        problem.setTitle(title);
        response.resetBuffer();
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        if (status == HttpStatus.UNAUTHORIZED) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "ApiKey header=\"" + ApiKeyFilter.HEADER + "\"");
        }
        JSON.writeValue(response.getOutputStream(), problem);
    }
}
