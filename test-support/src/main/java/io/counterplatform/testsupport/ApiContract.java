package io.counterplatform.testsupport;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Yaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * A service's committed OpenAPI document ({@code docs/openapi/<service>.yaml}) held to real exchanges by Atlassian's
 * {@code swagger-request-validator}: every answer must be one the document describes (its status, headers and body),
 * and a request the document does not allow must be refused with a {@code 4xx}.
 */
public final class ApiContract {

    public static final ApiContract COMMAND_SIDE = new ApiContract("command-side");
    public static final ApiContract QUERY_SIDE = new ApiContract("query-side");

    /** Operational endpoints, documented by their own projects rather than by the API's document. */
    private static final List<String> OUTSIDE_THE_API = List.of("/actuator", "/v3/api-docs", "/swagger-ui");

    /** YAML reads {@code 1} as an int where JSON may read a long: numbers are equal by value. */
    private static final Comparator<JsonNode> NUMBERS_BY_VALUE =
            (a, b) -> a.isNumber() && b.isNumber() ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;

    private final Path document;
    private volatile OpenApiInteractionValidator validator;

    private ApiContract(String service) {
        this.document = documents().resolve(service + ".yaml");
    }

    /** Fails unless the service serves the committed document at {@code /v3/api-docs}, as it is. */
    public void assertServedBy(Http service) {
        Http.Response served = service.get("/v3/api-docs");
        try {
            JsonNode expected = Yaml.mapper().readTree(document.toFile());
            JsonNode actual = Json.mapper().readTree(served.body());
            if (served.status() != 200 || !expected.equals(NUMBERS_BY_VALUE, actual)) {
                throw new AssertionError(service.baseUrl() + "/v3/api-docs is not " + document + ":\n" + served.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The operations a service's controllers map ({@code "GET /api/counters/{counterId}"}), springdoc's left out. */
    public static Set<String> operationsOf(RequestMappingHandlerMapping controllers) {
        Set<String> operations = new TreeSet<>();
        controllers.getHandlerMethods().forEach((mapping, handler) -> {
            if (handler.getBeanType().getPackageName().startsWith("io.counterplatform")) {
                mapping.getPatternValues()
                        .forEach(path -> mapping.getMethodsCondition()
                                .getMethods()
                                .forEach(method -> operations.add(method + " " + path)));
            }
        });
        return operations;
    }

    /**
     * Fails unless the document describes exactly these operations ({@code "GET /api/counters/{counterId}"}): an
     * endpoint added without its description, or a description left behind, is a failure.
     */
    public void assertDescribesExactly(Set<String> operations) {
        try {
            Set<String> described = new TreeSet<>();
            Yaml.mapper()
                    .readTree(document.toFile())
                    .path("paths")
                    .fields()
                    .forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
                        if (!method.equals("parameters")) {
                            described.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                        }
                    }));
            if (!described.equals(new TreeSet<>(operations))) {
                throw new AssertionError(document.getFileName() + " describes " + described + " but the service has "
                        + new TreeSet<>(operations));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails with the validator's report when the exchange is not one the document allows. */
    public void check(String method, URI uri, HttpHeaders requestHeaders, String requestBody, Http.Response response) {
        String path = uri.getRawPath();
        if (OUTSIDE_THE_API.stream().anyMatch(path::startsWith)) {
            return;
        }
        Request request = request(method, uri, requestHeaders, requestBody);
        ValidationReport refused = validator().validateRequest(request);
        if (refused.hasErrors()) {
            if (response.status() < 400 || response.status() >= 500) {
                throw new AssertionError(method + " " + uri + " is not allowed by " + document.getFileName()
                        + " but was answered " + response.status() + ":\n" + refused);
            }
            if (!refused.getMessages().stream()
                    .map(ValidationReport.Message::getKey)
                    .allMatch(key -> key.equals("validation.request.path.missing")
                            || key.equals("validation.request.operation.notAllowed"))) {
                checkAnswer(method, uri, path, request, response);
            }
            return;
        }
        checkAnswer(method, uri, path, request, response);
    }

    private void checkAnswer(String method, URI uri, String path, Request request, Http.Response response) {
        SimpleResponse.Builder answer =
                SimpleResponse.Builder.status(response.status()).withBody(response.body());
        response.headers().map().forEach(answer::withHeader);
        ValidationReport report = validator().validateResponse(path, request.getMethod(), answer.build());
        if (report.hasErrors()) {
            throw new AssertionError(method + " " + uri + " was answered " + response.status()
                    + " as " + document.getFileName() + " does not describe:\n" + report + "\nbody: "
                    + response.body());
        }
    }

    private static Request request(String method, URI uri, HttpHeaders headers, String body) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, uri.getRawPath());
        headers.map().forEach(request::withHeader);
        if (body != null) {
            request.withBody(body);
        }
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                String value = equals < 0 ? "" : pair.substring(equals + 1);
                request.withQueryParam(decode(name), decode(value));
            }
        }
        return request.build();
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    private OpenApiInteractionValidator validator() {
        if (validator == null) {
            validator = OpenApiInteractionValidator.createForSpecificationUrl(
                            document.toUri().toString())
                    .withStrictOperationPathMatching() // a trailing slash names another path, as in Spring
                    .build();
        }
        return validator;
    }

    /** {@code docs/openapi} of the checkout the tests run in, found from the working directory up. */
    private static Path documents() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path documents = dir.resolve("docs/openapi");
            if (Files.isDirectory(documents)) {
                return documents;
            }
        }
        throw new IllegalStateException("no docs/openapi above " + Path.of("").toAbsolutePath());
    }
}
