package io.counterplatform.support.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys callers present in {@code X-Api-Key}: the admin key and the client keys, each configured as the secret
 * itself or as {@code sha256:<hex>} of it. Only their SHA-256 digests are kept, and a presented key is compared
 * with every one of them in constant time, so neither the answer's timing nor a heap dump gives a key away. Keys
 * are never logged.
 */
public final class ApiKeys {

    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
    private static final String HASHED = "sha256:";

    private record Known(Caller caller, byte[] digest) {}

    private final List<Known> known = new ArrayList<>();

    public ApiKeys(String adminKey, Map<String, String> clientKeys) {
        if (adminKey == null || adminKey.isBlank()) {
            log.warn("No admin key is set: the admin API and the actuator endpoints other than health answer 401 to "
                    + "everyone. Set counter.admin.api-key (environment COUNTER_ADMIN_API_KEY) to a long random "
                    + "secret, or to sha256:<hex> of one.");
        } else {
            known.add(new Known(new Caller(Caller.ADMIN, true), digestOf(adminKey)));
        }
        clientKeys.forEach((name, key) -> {
            if (name.equals(Caller.ADMIN)) {
                throw new IllegalStateException("no client key may be named " + Caller.ADMIN);
            }
            known.add(new Known(new Caller(name, false), digestOf(key)));
        });
    }

    /** The caller whose key this is, if any. */
    public Optional<Caller> authenticate(String presented) {
        byte[] digest = sha256(presented.getBytes(StandardCharsets.UTF_8));
        Caller match = null;
        for (Known key : known) { // every key is compared, whichever matches
            if (MessageDigest.isEqual(key.digest(), digest)) {
                match = key.caller();
            }
        }
        return Optional.ofNullable(match);
    }

    private static byte[] digestOf(String configured) {
        if (configured.startsWith(HASHED)) {
            return HexFormat.of().parseHex(configured.substring(HASHED.length()));
        }
        return sha256(configured.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
