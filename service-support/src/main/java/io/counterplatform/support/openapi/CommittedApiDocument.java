package io.counterplatform.support.openapi;

import io.swagger.v3.core.util.Yaml;
import io.swagger.v3.oas.models.OpenAPI;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.Resource;

/**
 * The API is defined by its committed OpenAPI document ({@code docs/openapi/<service>.yaml}), reviewed as a diff and
 * checked against every exchange of the tests; springdoc serves that document at {@code /v3/api-docs} and in Swagger
 * UI, in place of what it would infer from the controllers.
 */
@AutoConfiguration
public class CommittedApiDocument {

    @Bean
    OpenApiCustomizer committedDocument(@Value("classpath:openapi/${spring.application.name}.yaml") Resource document) {
        OpenAPI committed = read(document);
        return served -> BeanUtils.copyProperties(committed, served);
    }

    private static OpenAPI read(Resource document) {
        try (InputStream in = document.getInputStream()) {
            return Yaml.mapper().readValue(in, OpenAPI.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API document " + document, e);
        }
    }
}
