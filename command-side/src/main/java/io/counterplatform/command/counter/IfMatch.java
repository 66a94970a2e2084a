package io.counterplatform.command.counter;

import io.counterplatform.api.counter.InvalidCounterInput;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the version a client expects from {@code If-Match: "v"}; the version is the counter's ETag. */
final class IfMatch {

    private static final Pattern QUOTED_VERSION = Pattern.compile("^\"(0|[1-9][0-9]{0,18})\"$");

    private IfMatch() {}

    static Long expectedVersion(String header) {
        if (header == null) {
            return null;
        }
        Matcher matcher = QUOTED_VERSION.matcher(header.strip());
        if (!matcher.matches()) {
            throw new InvalidCounterInput("If-Match", "must be a quoted version, for example \"5\"");
        }
        try {
            return Long.parseLong(matcher.group(1));
        } catch (NumberFormatException tooLarge) {
            throw new InvalidCounterInput("If-Match", "names a version beyond any counter's");
        }
    }
}
