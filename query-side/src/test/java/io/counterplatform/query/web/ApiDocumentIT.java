package io.counterplatform.query.web;

import io.counterplatform.query.IntegrationTest;
import io.counterplatform.testsupport.ApiContract;
import io.counterplatform.testsupport.Http;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** The committed OpenAPI document is what the query side serves, and describes exactly its endpoints. */
@IntegrationTest
class ApiDocumentIT {

    @LocalServerPort
    private int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping controllers;

    @Test
    void servesTheCommittedDocument() {
        ApiContract.QUERY_SIDE.assertServedBy(Http.querySide("http://localhost:" + port));
    }

    @Test
    void theDocumentDescribesEveryEndpointAndNoOther() {
        Set<String> operations = new TreeSet<>(ApiContract.operationsOf(controllers));
        operations.add("GET /"); // the dashboard: Spring Boot's welcome page, not a controller
        ApiContract.QUERY_SIDE.assertDescribesExactly(operations);
    }
}
