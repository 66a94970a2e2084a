package io.counterplatform.command.counter;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.lang.reflect.Type;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * An increment's body, when there is one, is a JSON object: a body of JSON {@code null} is malformed, not an
 * absent body (Jackson reads both as no request, and only an absent body means the defaults).
 */
@ControllerAdvice
class NullBodyRefusal extends RequestBodyAdviceAdapter {

    @Override
    public boolean supports(
            MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
        return targetType == IncrementRequest.class;
    }

    /** Called only for a body that was there to read. */
    @Override
    public Object afterBodyRead(
            Object body,
            HttpInputMessage message,
            MethodParameter parameter,
            Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        if (body == null) {
            // a mapping failure without a place: the problem says the body must be one JSON object
            throw new HttpMessageNotReadableException(
                    "a JSON null body", JsonMappingException.from((JsonParser) null, "a JSON null body"), message);
        }
        return body;
    }
}
