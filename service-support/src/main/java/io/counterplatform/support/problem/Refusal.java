package io.counterplatform.support.problem;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.Locale;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * A refusal as Spring answers its own errors: an {@link ErrorResponseException} whose {@code type} is
 * {@code urn:counter-platform:problem:<kind>} and whose title is the message {@code problemDetail.title.<kind>}
 * ({@code messages.properties}). Thrown from a controller, or {@link #send sent} from a filter, it is answered by the
 * service's one exception handler.
 */
public class Refusal extends ErrorResponseException {

    private final String kind;

    public Refusal(HttpStatusCode status, String kind, String detail) {
        super(status, ProblemDetail.forStatusAndDetail(status, detail), null);
        getBody().setType(type(kind));
        this.kind = kind;
    }

    /** The one form of a problem's {@code type}. */
    public static URI type(String kind) {
        return URI.create("urn:counter-platform:problem:" + kind);
    }

    /** The kind of a problem known only by its title or reason phrase: {@code Not Found} is {@code not-found}. */
    public static String kindOf(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    @Override
    public String getTitleMessageCode() {
        return "problemDetail.title." + kind;
    }

    public Refusal header(String name, String value) {
        getHeaders().set(name, value);
        return this;
    }

    public Refusal property(String name, Object value) {
        getBody().setProperty(name, value);
        return this;
    }

    /** Answers from a filter, outside Spring MVC, through the same exception handler as a controller's refusals. */
    public void send(HandlerExceptionResolver handler, HttpServletRequest request, HttpServletResponse response) {
        handler.resolveException(request, response, null, this);
    }
}
