package io.counterplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/** The production set-up cannot be run here, so its files are checked for what {@code docker compose up} needs. */
class DeploymentFilesTest {

    private static final Path ROOT = Path.of("..");

    @Test
    void composeRunsAxonServerPostgresAndBothServices() throws IOException {
        Map<String, Map<String, Object>> services = services();

        assertThat(services).containsOnlyKeys("axonserver", "postgres", "command-side", "query-side");
        assertThat((String) services.get("axonserver").get("image")).startsWith("axoniq/axonserver:");
        assertThat(strings(services.get("axonserver").get("ports"))).contains("8024:8024", "8124:8124");
        assertThat((String) services.get("postgres").get("image")).matches("postgres:17(\\.\\d+)*");
        assertThat(strings(services.get("postgres").get("volumes")))
                .anyMatch(v -> v.endsWith(":/var/lib/postgresql/data"));
        assertThat(services.get("axonserver")).containsKey("healthcheck");
        assertThat(services.get("postgres")).containsKey("healthcheck");
    }

    @Test
    void everyDependencyWaitsForAHealthyService() throws IOException {
        Map<String, Map<String, Object>> services = services();
        for (String service : List.of("command-side", "query-side")) {
            @SuppressWarnings("unchecked")
            Map<String, Map<String, String>> dependsOn =
                    (Map<String, Map<String, String>>) services.get(service).get("depends_on");
            assertThat(dependsOn).as(service).containsKey("axonserver");
            dependsOn.forEach((dependency, condition) -> {
                assertThat(condition).containsEntry("condition", "service_healthy");
                assertThat(services.get(dependency)).as(dependency).containsKey("healthcheck");
            });
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> queryDependsOn =
                (Map<String, Object>) services.get("query-side").get("depends_on");
        assertThat(queryDependsOn).containsKey("postgres");
    }

    @ParameterizedTest
    @ValueSource(strings = {"command-side", "query-side"})
    void eachServiceIsBuiltFromItsDockerfileAndRunsInTheAxonServerProfile(String service) throws IOException {
        Map<String, Object> definition = services().get(service);
        @SuppressWarnings("unchecked")
        Map<String, String> build = (Map<String, String>) definition.get("build");
        @SuppressWarnings("unchecked")
        Map<String, String> environment = (Map<String, String>) definition.get("environment");
        Path dockerfile = ROOT.resolve(build.get("context")).resolve(build.get("dockerfile"));

        assertThat(dockerfile).exists();
        assertThat(environment).containsEntry("SPRING_PROFILES_ACTIVE", "axonserver");
        assertThat(environment.get("AXONSERVER_SERVERS")).isEqualTo("axonserver:8124");
    }

    @ParameterizedTest
    @ValueSource(strings = {"command-side", "query-side"})
    void eachDockerfileBuildsWithTheWrapperAndRunsTheRealJarAsANonRootUser(String service) throws IOException {
        String dockerfile = Files.readString(ROOT.resolve(service).resolve("Dockerfile"));
        String pom = Files.readString(ROOT.resolve(service).resolve("pom.xml"));

        assertThat(dockerfile.lines().filter(line -> line.startsWith("FROM "))).hasSize(2);
        assertThat(dockerfile).contains("FROM eclipse-temurin:17-jdk AS build", "FROM eclipse-temurin:17-jre");
        assertThat(dockerfile).contains("./mvnw ", "-pl " + service + " ");
        assertThat(pom).contains("<finalName>${project.artifactId}</finalName>");
        assertThat(dockerfile).contains("/workspace/" + service + "/target/" + service + ".jar");
        assertThat(dockerfile).containsPattern("(?m)^USER (?!root)\\S+");
        assertThat(ROOT.resolve("mvnw")).isExecutable();
    }

    @Test
    void axonServerGetsItsPropertiesWithDevelopmentModeOff() throws IOException {
        @SuppressWarnings("unchecked")
        List<String> volumes = (List<String>) services().get("axonserver").get("volumes");
        String mount = volumes.stream()
                .filter(v -> v.contains("axonserver.properties"))
                .findFirst()
                .orElseThrow();
        Path properties = ROOT.resolve(mount.substring(0, mount.indexOf(':')));

        assertThat(properties).exists();
        assertThat(Files.readString(properties))
                .contains("axoniq.axonserver.devmode.enabled=false", "axoniq.axonserver.standalone=true");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object list) {
        return (List<String>) list;
    }
}
