package io.counterplatform.support.security;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code counter.security}. The admin key is {@link AdminProperties}.
 *
 * @param clientKeys each client's key by the client's name: the secret, or {@code sha256:<hex>} of it
 * @param writesRequireKey whether an increment needs a client (or the admin) key
 */
@ConfigurationProperties("counter.security")
public record SecurityProperties(Map<String, String> clientKeys, boolean writesRequireKey) {

    public SecurityProperties {
        clientKeys = clientKeys == null ? Map.of() : Map.copyOf(clientKeys);
    }
}
