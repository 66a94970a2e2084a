package io.counterplatform.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.StreamSupport;

/**
 * Holds the README's configuration table to the settings the code binds: every {@code counter.*} property in the
 * configuration metadata on the classpath (generated from the {@code @ConfigurationProperties} records) has a row,
 * and the row shows its default.
 */
public final class SettingsTable {

    private static final String METADATA = "META-INF/spring-configuration-metadata.json";

    private SettingsTable() {}

    /** What the table gets wrong, one line each; empty when it matches. */
    public static List<String> mismatches(Path readme) throws IOException {
        List<String> rows = Files.readAllLines(readme).stream()
                .filter(line -> line.startsWith("| `counter."))
                .toList();
        List<String> mismatches = new ArrayList<>();
        for (URL resource :
                Collections.list(SettingsTable.class.getClassLoader().getResources(METADATA))) {
            try (InputStream in = resource.openStream()) {
                for (JsonNode property : new ObjectMapper().readTree(in).path("properties")) {
                    String name = property.path("name").asText();
                    if (!name.startsWith("counter.")) {
                        continue;
                    }
                    String row = rows.stream()
                            .filter(line -> line.startsWith("| `" + name + "` |"))
                            .findFirst()
                            .orElse(null);
                    String shown = shown(property.path("defaultValue"));
                    if (row == null) {
                        mismatches.add(name + " has no row");
                    } else if (shown != null && !row.split("\\|")[2].contains("`" + shown + "`")) {
                        mismatches.add(name + " defaults to " + shown + ", not as the row says: " + row);
                    }
                }
            }
        }
        return mismatches;
    }

    private static String shown(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (value.isArray()) {
            return String.join(
                    ", ",
                    StreamSupport.stream(value.spliterator(), false)
                            .map(JsonNode::asText)
                            .toList());
        }
        String text = value.asText();
        if (text.startsWith("[") && text.endsWith("]")) {
            return text.substring(1, text.length() - 1); // a list, as the processor writes it
        }
        return text.toLowerCase(Locale.ROOT).equals("false") ? "false" : text;
    }
}
