package io.counterplatform.query.web;

import java.net.URI;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds problem details with a stable {@code type} per kind of error. */
final class Problems {

    private static final String TYPE_PREFIX = "urn:counter-platform:problem:";

    private Problems() {}

    static ProblemDetail problem(HttpStatusCode status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_PREFIX + type));
        problem.setTitle(title);
        return problem;
    }

    /** Spring's own errors get a type named after their status, e.g. {@code unsupported-media-type}. */
    static void typeByStatus(ProblemDetail problem) {
        if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
            String title = problem.getTitle() == null ? "error" : problem.getTitle();
            problem.setType(URI.create(TYPE_PREFIX + title.toLowerCase().replaceAll("[^a-z0-9]+", "-")));
        }
    }
}
