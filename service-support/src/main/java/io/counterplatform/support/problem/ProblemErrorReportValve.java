package io.counterplatform.support.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/**
 * What Tomcat refuses before any application code runs (an encoded {@code /} or {@code \}, a NUL, a request it
 * cannot parse) becomes a problem too, instead of Tomcat's HTML page. Installed as the host's error report valve: the
 * one place that writes a problem itself, as no part of Spring has seen the request.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    /** What a path that is not taken as sent is told, here and by the firewall. */
    public static final String REJECTED_PATH =
            "the path holds characters or sequences that are not accepted (;, encoded / or \\, %25, .., control "
                    + "characters)";

    private static final ObjectMapper JSON =
            Jackson2ObjectMapperBuilder.json().build(); // with Spring's mixin for problems

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        HttpStatus status = HttpStatus.resolve(response.getStatus());
        if (status == null || !status.isError() || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String message = response.getMessage();
        boolean rejectedPath = status == HttpStatus.BAD_REQUEST && message != null && message.contains("URI");
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                status,
                rejectedPath
                        ? REJECTED_PATH
                        : status.is4xxClientError() ? "the request was refused" : "the request could not be completed");
        problem.setTitle(rejectedPath ? "Rejected path" : status.getReasonPhrase());
        problem.setType(Refusal.type(rejectedPath ? "rejected-path" : Refusal.kindOf(status.getReasonPhrase())));
        try {
            response.resetBuffer();
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            JSON.writeValue(response.getOutputStream(), problem);
            response.finishResponse();
        } catch (IOException | IllegalStateException clientGone) {
            // nothing more to tell a client that is not listening
        }
    }
}
