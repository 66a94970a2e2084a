package io.counterplatform.support.security;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code counter.security}: the client keys (name and secret, or {@code sha256:<hex>} of it) and whether an
 * increment needs one. The admin key is {@code counter.admin.api-key}.
 */
@ConfigurationProperties("counter.security")
public record SecurityProperties(Map<String, String> clientKeys, boolean writesRequireKey) {

    public SecurityProperties {
        clientKeys = clientKeys == null ? Map.of() : Map.copyOf(clientKeys);
    }
}
