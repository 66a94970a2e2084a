package io.counterplatform.command.web;

import io.counterplatform.command.IntegrationTest;
import io.counterplatform.testsupport.ApiContract;
import io.counterplatform.testsupport.Http;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** The committed OpenAPI document is what the command side serves, and describes exactly its endpoints. */
@IntegrationTest
class ApiDocumentIT {

    @LocalServerPort
    private int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping controllers;

    @Test
    void servesTheCommittedDocument() {
        ApiContract.COMMAND_SIDE.assertServedBy(Http.commandSide("http://localhost:" + port));
    }

    @Test
    void theDocumentDescribesEveryEndpointAndNoOther() {
        ApiContract.COMMAND_SIDE.assertDescribesExactly(ApiContract.operationsOf(controllers));
    }
}
