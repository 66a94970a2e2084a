package io.counterplatform.support.security;

/** Who presented a valid {@code X-Api-Key}: the admin, or a client by the name its key is configured under. */
public record Caller(String name, boolean admin) {

    public static final String ADMIN = "admin";

    /** Whether this caller may see and change what {@code owner} created. */
    public boolean owns(String owner) {
        return admin || name.equals(owner);
    }
}
