package io.counterplatform.support.security;

import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

/**
 * What Tomcat refuses before any application code runs (an encoded {@code /} or {@code \}, a NUL, an unmappable
 * path) becomes a problem too, instead of Tomcat's HTML page. Installed as the host's error report valve, so it
 * answers before the default one would.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        HttpStatus status = HttpStatus.resolve(response.getStatus());
        if (status == null || !status.isError() || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String message = response.getMessage();
        try {
            if (status == HttpStatus.BAD_REQUEST && message != null && message.contains("URI")) {
                ProblemResponses.rejectedPath(response.getResponse());
            } else {
                ProblemResponses.write(
                        response.getResponse(),
                        status,
                        ProblemResponses.kindOf(status.getReasonPhrase()),
                        status.getReasonPhrase(),
                        status.is4xxClientError() ? "the request was refused" : "the request could not be completed");
            }
            response.finishResponse();
        } catch (IOException | IllegalStateException clientGone) {
            // nothing more to tell a client that is not listening
        }
    }
}
