package io.counterplatform.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A small HTTP client for talking to the services exactly as any client would: raw bodies, raw headers. */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final String baseUrl;
    private final ApiContract contract;
    private final String[] defaultHeaders;

    /** {@code defaultHeaders}, in name, value pairs, go with every request (an {@code X-Api-Key}, say). */
    public Http(String baseUrl, String... defaultHeaders) {
        this(null, baseUrl, defaultHeaders);
    }

    private Http(ApiContract contract, String baseUrl, String... defaultHeaders) {
        this.baseUrl = baseUrl;
        this.contract = contract;
        this.defaultHeaders = defaultHeaders;
    }

    /** A client of the command side whose every exchange is held to its committed API document. */
    public static Http commandSide(String baseUrl, String... defaultHeaders) {
        return new Http(ApiContract.COMMAND_SIDE, baseUrl, defaultHeaders);
    }

    /** A client of the query side whose every exchange is held to its committed API document. */
    public static Http querySide(String baseUrl, String... defaultHeaders) {
        return new Http(ApiContract.QUERY_SIDE, baseUrl, defaultHeaders);
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** What came back. */
    public record Response(int status, HttpHeaders headers, String body) {

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        public String contentType() {
            return header("Content-Type").orElse("");
        }
    }

    /** {@code headers} come in name, value pairs. */
    public Response get(String path, String... headers) {
        return send(request(path, headers).GET().build(), null);
    }

    /** A POST with a body of the given content type; a null content type sends no Content-Type header. */
    public Response post(String path, String contentType, String body, String... headers) {
        HttpRequest.Builder request = request(path, headers);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpRequest.BodyPublisher publisher =
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        return send(request.POST(publisher).build(), body);
    }

    public Response delete(String path, String... headers) {
        return send(request(path, headers).DELETE().build(), null);
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60));
        for (int i = 0; i + 1 < defaultHeaders.length; i += 2) {
            request.header(defaultHeaders[i], defaultHeaders[i + 1]);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request;
    }

    private Response send(HttpRequest request, String body) {
        Response response = exchange(request);
        if (contract != null) {
            contract.check(request.method(), request.uri(), request.headers(), body, response);
        }
        return response;
    }

    private static Response exchange(HttpRequest request) {
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
