package io.counterplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README's layout names every module, and every package of each service, as the tree has them. */
class ReadmeLayoutTest {

    private static final Path ROOT = Path.of("..");

    @Test
    void layoutNamesEveryModuleAndEveryPackageOfTheServices() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<String> layout = readme.substring(readme.indexOf("\n## Layout") + 1)
                .lines()
                .skip(1)
                .takeWhile(line -> !line.startsWith("## "))
                .toList();

        try (Stream<Path> modules = Files.list(ROOT)) {
            assertThat(modules.filter(module -> Files.exists(module.resolve("pom.xml"))))
                    .isNotEmpty()
                    .allSatisfy(module -> assertThat(layout)
                            .as("README layout")
                            .anyMatch(line -> line.startsWith(module.getFileName() + "/ ")));
        }
        for (String service : List.of("command-side", "query-side")) {
            List<String> block = block(layout, service);
            Path root = ROOT.resolve(service + "/src/main/java/io/counterplatform/" + service.replace("-side", ""));
            try (Stream<Path> packages = Files.list(root)) {
                assertThat(packages.filter(Files::isDirectory))
                        .isNotEmpty()
                        .allSatisfy(folder -> assertThat(block)
                                .as("README layout of " + service)
                                .anyMatch(line -> line.startsWith("  " + folder.getFileName() + "/ ")));
            }
        }
    }

    /** The module's line and the indented lines under it. */
    private static List<String> block(List<String> layout, String module) {
        List<String> rest = layout.stream()
                .dropWhile(line -> !line.startsWith(module + "/ "))
                .toList();
        return rest.stream()
                .limit(1
                        + rest.stream()
                                .skip(1)
                                .takeWhile(line -> line.startsWith(" "))
                                .count())
                .toList();
    }
}
