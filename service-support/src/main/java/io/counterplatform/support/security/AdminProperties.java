package io.counterplatform.support.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code counter.admin}.
 *
 * @param apiKey the admin key (environment {@code COUNTER_ADMIN_API_KEY}): the secret, or {@code sha256:<hex>} of
 *     it; without one, admin calls are refused
 */
@ConfigurationProperties("counter.admin")
public record AdminProperties(String apiKey) {}
