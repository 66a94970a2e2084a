package io.counterplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The production set-up cannot be run here, so its files are parsed and held to what a real deployment needs:
 * published image tags, no default secrets, loopback-only ports, health checks behind every dependency, and
 * Dockerfiles that copy the jar each module really builds.
 */
class DeploymentFilesTest {

    private static final Path ROOT = Path.of("..");
    /** AxonIQ publishes {@code <version>}, optionally {@code -jdk-17} or {@code -jdk-21}, optionally {@code -nonroot}. */
    private static final Pattern AXON_SERVER_IMAGE =
            Pattern.compile("axoniq/axonserver:\\d{4}\\.\\d+\\.\\d+(-jdk-(17|21))?(-nonroot)?");

    private static final Pattern POSTGRES_IMAGE = Pattern.compile("postgres:\\d+(\\.\\d+)?");
    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|TOKEN|SECRET|KEY).*");
    private static final Pattern REQUIRED_VARIABLE = Pattern.compile("\\$\\{[A-Z_]+:\\?[^}]+}");

    @Test
    void composeRunsPinnedPublishedImages() throws IOException {
        Map<String, Map<String, Object>> services = services();

        assertThat(services)
                .containsOnlyKeys(
                        "axonserver", "postgres", "command-side", "query-side", "prometheus", "grafana", "jaeger");
        assertThat((String) services.get("axonserver").get("image")).matches(AXON_SERVER_IMAGE);
        assertThat((String) services.get("postgres").get("image")).matches(POSTGRES_IMAGE);
        assertThat((String) services.get("prometheus").get("image")).matches("prom/prometheus:v\\d+\\.\\d+\\.\\d+");
        assertThat((String) services.get("grafana").get("image")).matches("grafana/grafana:\\d+\\.\\d+\\.\\d+");
        assertThat((String) services.get("jaeger").get("image")).matches("jaegertracing/all-in-one:\\d+\\.\\d+\\.\\d+");
    }

    /** Prometheus, Grafana and Jaeger start only when asked for, and read their configuration from the repository. */
    @Test
    void observabilityIsAProfileProvisionedFromTheRepository() throws IOException {
        Map<String, Map<String, Object>> services = services();
        for (String service : List.of("prometheus", "grafana", "jaeger")) {
            assertThat(strings(services.get(service).get("profiles")))
                    .as(service)
                    .containsExactly("observability");
            for (String volume : strings(services.get(service).getOrDefault("volumes", List.of()))) {
                if (volume.startsWith("./")) {
                    assertThat(ROOT.resolve(volume.substring(2, volume.indexOf(':'))))
                            .as(volume)
                            .exists();
                }
            }
        }
        assertThat(Files.readString(ROOT.resolve("observability/prometheus/prometheus.yml")))
                .contains("/actuator/prometheus", "X-Api-Key", "command-side:8080", "query-side:8081");
    }

    /** Both services know where Jaeger listens for OTLP, and export nothing unless told to. */
    @Test
    void tracesAreExportedToJaegerOnlyWhenAsked() throws IOException {
        Map<String, Map<String, Object>> services = services();
        for (String service : List.of("command-side", "query-side")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> environment =
                    (Map<String, Object>) services.get(service).get("environment");
            assertThat(environment)
                    .as(service)
                    .containsEntry("MANAGEMENT_OTLP_TRACING_ENDPOINT", "http://jaeger:4318/v1/traces")
                    .containsEntry("MANAGEMENT_OTLP_TRACING_EXPORT_ENABLED", "${TRACES_EXPORT:-false}");
        }
        assertThat(strings(services.get("jaeger").get("ports"))).containsExactly("127.0.0.1:16686:16686");
    }

    @Test
    void noSecretHasADefaultValue() throws IOException {
        services()
                .forEach((service, definition) -> environment(definition).forEach((name, value) -> {
                    if (SECRET_NAME.matcher(name).matches()) {
                        assertThat(value).as(service + " " + name).matches(REQUIRED_VARIABLE);
                    }
                }));
    }

    @Test
    void axonServerAccessControlIsOnAndEveryClientPresentsTheToken() throws IOException {
        Map<String, Map<String, Object>> services = services();

        assertThat(environment(services.get("axonserver")))
                .containsEntry("AXONIQ_AXONSERVER_ACCESSCONTROL_ENABLED", "${AXONSERVER_ACCESS_CONTROL:-true}");
        assertThat(environment(services.get("axonserver")).get("AXONIQ_AXONSERVER_ACCESSCONTROL_TOKEN"))
                .startsWith("${AXONSERVER_TOKEN:?");
        for (String service : List.of("command-side", "query-side")) {
            assertThat(environment(services.get(service)).get("AXONSERVER_TOKEN"))
                    .as(service)
                    .startsWith("${AXONSERVER_TOKEN:?");
        }
        assertThat(Files.readString(ROOT.resolve("axonserver/axonserver.properties")))
                .contains("axoniq.axonserver.accesscontrol.enabled=true", "axoniq.axonserver.devmode.enabled=false");
    }

    @Test
    void everyPortIsPublishedOnLoopbackOnly() throws IOException {
        services()
                .forEach((service, definition) -> strings(definition.getOrDefault("ports", List.of()))
                        .forEach(port -> assertThat(port).as(service).startsWith("127.0.0.1:")));
    }

    @Test
    void everyDependencyWaitsForAServiceWithAHealthCheck() throws IOException {
        Map<String, Map<String, Object>> services = services();
        services.forEach((service, definition) -> {
            @SuppressWarnings("unchecked")
            Map<String, Map<String, String>> dependsOn =
                    (Map<String, Map<String, String>>) definition.getOrDefault("depends_on", Map.of());
            dependsOn.forEach((dependency, condition) -> {
                assertThat(condition).as(service + " on " + dependency).containsEntry("condition", "service_healthy");
                assertThat(services.get(dependency)).as(dependency).containsKey("healthcheck");
            });
        });
        assertThat(services.get("query-side").get("depends_on").toString()).contains("postgres", "axonserver");
    }

    @ParameterizedTest
    @ValueSource(strings = {"command-side", "query-side"})
    void eachServiceIsBuiltFromItsDockerfileAndRunsInTheAxonServerProfile(String service) throws IOException {
        Map<String, Object> definition = services().get(service);
        @SuppressWarnings("unchecked")
        Map<String, String> build = (Map<String, String>) definition.get("build");
        Path dockerfile = ROOT.resolve(build.get("context")).resolve(build.get("dockerfile"));

        assertThat(dockerfile.normalize())
                .isEqualTo(ROOT.resolve(service + "/Dockerfile").normalize());
        assertThat(environment(definition)).containsEntry("SPRING_PROFILES_ACTIVE", "axonserver");
        assertThat(environment(definition)).containsEntry("AXONSERVER_SERVERS", "axonserver:8124");
    }

    @ParameterizedTest
    @ValueSource(strings = {"command-side", "query-side"})
    void eachDockerfileBuildsItsModuleAndRunsTheJarItBuildsAsANonRootUser(String service) throws IOException {
        String dockerfile = Files.readString(ROOT.resolve(service).resolve("Dockerfile"));
        String jar = "/workspace/" + service + "/target/" + finalName(service) + ".jar";
        String port = serverPort(service);

        assertThat(dockerfile.lines().filter(line -> line.startsWith("FROM "))).hasSize(2);
        assertThat(dockerfile).contains("./mvnw ", "-pl " + service + " -am package");
        assertThat(dockerfile).containsPattern("(?m)^COPY --from=build \\S+ " + Pattern.quote(jar) + " ");
        assertThat(dockerfile).containsPattern("(?m)^USER (?!root)\\S+");
        assertThat(dockerfile).contains("EXPOSE " + port, "/dev/tcp/127.0.0.1/" + port);
        assertThat(strings(services().get(service).get("ports"))).contains("127.0.0.1:" + port + ":" + port);
        assertThat(ROOT.resolve("mvnw")).isExecutable();
    }

    /** The images' own tools are not known here; the health checks use bash alone. */
    @Test
    void noHealthCheckNeedsAnHttpClientInTheImage() throws IOException {
        assertThat(Files.readString(ROOT.resolve("docker-compose.yml"))).doesNotContain("curl", "wget");
        for (String service : List.of("command-side", "query-side")) {
            assertThat(Files.readString(ROOT.resolve(service).resolve("Dockerfile")))
                    .doesNotContain("curl", "wget");
        }
    }

    private static String finalName(String module) throws IOException {
        String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
        Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
        assertThat(finalName.find()).as(module + " declares its jar's name").isTrue();
        return finalName.group(1).replace("${project.artifactId}", module);
    }

    private static String serverPort(String module) throws IOException {
        Map<String, Object> application =
                new Yaml().load(Files.readString(ROOT.resolve(module).resolve("src/main/resources/application.yml")));
        @SuppressWarnings("unchecked")
        Map<String, Object> server = (Map<String, Object>) application.get("server");
        return server.get("port").toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(Map<String, Object> service) {
        return (Map<String, String>) service.getOrDefault("environment", Map.of());
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object list) {
        return (List<String>) list;
    }
}
