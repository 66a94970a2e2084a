package io.counterplatform.support;

import java.beans.PropertyEditorSupport;
import java.time.Instant;
import java.util.function.Function;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Parameters and headers read as the API documents say: whole numbers in decimal only (Spring's own editors take
 * {@code 0x10} and {@code #10}), instants in ISO-8601 only (Spring's formatter takes epoch milliseconds and RFC 1123
 * dates). An empty value is an absent one, as in Spring. Editors, not converters: Spring falls back to its own
 * editors when a converter refuses a value.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ControllerAdvice
public class StrictParameters {

    @InitBinder
    void strictly(WebDataBinder binder) {
        for (Class<?> type : new Class<?>[] {long.class, Long.class}) {
            binder.registerCustomEditor(type, reading(Long::valueOf));
        }
        for (Class<?> type : new Class<?>[] {int.class, Integer.class}) {
            binder.registerCustomEditor(type, reading(Integer::valueOf));
        }
        binder.registerCustomEditor(Instant.class, reading(Instant::parse));
    }

    private static PropertyEditorSupport reading(Function<String, Object> parse) {
        return new PropertyEditorSupport() {
            @Override
            public void setAsText(String text) {
                try {
                    setValue(text.isEmpty() ? null : parse.apply(text));
                } catch (RuntimeException unreadable) { // a DateTimeParseException too: a type mismatch, a 400
                    throw new IllegalArgumentException(unreadable);
                }
            }
        };
    }
}
