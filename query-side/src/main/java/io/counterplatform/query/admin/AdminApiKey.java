package io.counterplatform.query.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The key the admin API asks for: {@code counter.admin.api-key}, or one generated at start and logged once. */
@Component
class AdminApiKey {

    private static final Logger log = LoggerFactory.getLogger(AdminApiKey.class);

    private final byte[] key;

    AdminApiKey(@Value("${counter.admin.api-key:}") String configured) {
        String key = configured;
        if (key == null || key.isBlank()) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            key = HexFormat.of().formatHex(random);
            log.warn(
                    "No counter.admin.api-key (COUNTER_ADMIN_API_KEY) is set; the admin API key for this run is {}",
                    key);
        }
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    /** Compares in constant time, so the answer's timing says nothing about the key. */
    boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(key, candidate.getBytes(StandardCharsets.UTF_8));
    }
}
