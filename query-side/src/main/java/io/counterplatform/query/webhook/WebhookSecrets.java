package io.counterplatform.query.webhook;

import io.counterplatform.api.counter.InvalidCounterInput;
import java.security.SecureRandom;
import java.util.Base64;

/** Secrets as Standard Webhooks writes them: {@code whsec_} and the base64 of a 24 to 64 byte key. */
final class WebhookSecrets {

    private static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSecrets() {}

    /** A new secret with a 32 byte key. */
    static String generate() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The given secret, if it has the form; else a {@code 400} that says what the form is. */
    static String requireValid(String secret) {
        int keyLength = -1;
        // 100 characters hold any 64 byte key: longer ones are not decoded at all
        if (secret.startsWith(PREFIX) && secret.length() <= 100) {
            String encoded = secret.substring(PREFIX.length());
            try {
                byte[] key = Base64.getDecoder().decode(encoded);
                // padded as every library decodes it: what Java alone would forgive, Python's refuses
                keyLength = Base64.getEncoder().encodeToString(key).equals(encoded) ? key.length : -1;
            } catch (IllegalArgumentException notBase64) {
                keyLength = -1;
            }
        }
        if (keyLength < 24 || keyLength > 64) {
            throw new InvalidCounterInput("secret", "must be whsec_ followed by the base64 of a 24 to 64 byte key");
        }
        return secret;
    }
}
