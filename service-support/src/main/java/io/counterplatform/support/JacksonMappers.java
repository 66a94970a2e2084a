package io.counterplatform.support;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/**
 * Two Jackson policies. HTTP bodies are read strictly ({@code spring.jackson.*}: no unknown fields, no coercion).
 * Events, snapshots, tokens and messages are read tolerantly: a field added by a newer writer must never stop an
 * older reader, or deploying one service before the other would stall it. Axon takes the mapper named
 * {@code defaultAxonObjectMapper}; everything else takes the primary one.
 */
@AutoConfiguration(before = JacksonAutoConfiguration.class)
public class JacksonMappers {

    /** What Spring Boot would make: the mapper of the web layer, configured by {@code spring.jackson.*}. */
    @Bean
    @Primary
    ObjectMapper jacksonObjectMapper(Jackson2ObjectMapperBuilder builder) {
        ObjectMapper web = builder.createXmlMapper(false).build();
        // a number or a boolean is not a string: {"counterId": 5} is refused, not read as "5"
        web.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return web;
    }

    @Bean
    ObjectMapper defaultAxonObjectMapper() {
        return Jackson2ObjectMapperBuilder.json()
                .featuresToDisable(
                        DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                        SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
    }
}
