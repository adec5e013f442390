package dev.meridian.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * deploy/k8s agrees with the rest of the repository: every service module has its Deployment, Service, autoscaler
 * and disruption budget, wired the same way (port, health probes, meters, schema, configuration), and the Ingress
 * routes exactly what the local edge routes. No cluster runs here, so this is what keeps the manifests from drifting.
 */
class KubernetesManifestsTest {

    static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();
    static final Path K8S = ROOT.resolve("deploy/k8s");
    static final List<JsonNode> objects = new ArrayList<>();
    static Set<String> services;

    @BeforeAll
    static void read() throws IOException {
        ObjectMapper yaml = new YAMLMapper();
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (var parser = new YAMLFactory().createParser(f.toFile())) {
                    yaml.readValues(parser, JsonNode.class).forEachRemaining(n -> {
                        if (n != null && !n.isEmpty()) {
                            objects.add(n);
                        }
                    });
                }
            }
        }
        Matcher m = Pattern.compile("<module>([a-z-]+-service)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        services = new TreeSet<>();
        while (m.find()) {
            services.add(m.group(1));
        }
        assertEquals(Set.of("models-service", "images-service", "moderation-service", "assistants-service", "admin-service"),
                services);
    }

    static JsonNode object(String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText()) && name.equals(o.at("/metadata/name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in deploy/k8s"));
    }

    static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> env = new TreeMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        return env;
    }

    @Test
    void everyServiceRunsWithProbesOnItsPortAndItsOwnSchema() throws IOException {
        JsonNode config = object("ConfigMap", "meridian-config").path("data");
        for (String service : services) {
            JsonNode deployment = object("Deployment", service);
            JsonNode labels = deployment.at("/spec/template/metadata/labels");
            assertEquals(deployment.at("/spec/selector/matchLabels"), labels, service);
            JsonNode container = deployment.at("/spec/template/spec/containers/0");
            assertEquals("meridian/" + service, container.path("image").asText());
            assertEquals("http", container.at("/ports/0/name").asText());
            assertEquals(8080, container.at("/ports/0/containerPort").asInt());
            Map<String, JsonNode> env = env(container);
            assertEquals("8080", env.get("QUARKUS_HTTP_PORT").path("value").asText());
            for (String[] probe : new String[][] {{"startupProbe", "started"}, {"readinessProbe", "ready"},
                    {"livenessProbe", "live"}}) {
                assertEquals("/q/health/" + probe[1], container.at("/" + probe[0] + "/httpGet/path").asText(), service);
                assertEquals("http", container.at("/" + probe[0] + "/httpGet/port").asText(), service);
            }
            // the meters are scraped where the module serves them
            JsonNode annotations = deployment.at("/spec/template/metadata/annotations");
            assertEquals("true", annotations.path("prometheus.io/scrape").asText(), service);
            assertEquals("/q/metrics", annotations.path("prometheus.io/path").asText(), service);
            assertEquals("8080", annotations.path("prometheus.io/port").asText(), service);
            assertTrue(Files.readString(ROOT.resolve(service).resolve("pom.xml"))
                    .contains("<artifactId>quarkus-micrometer-registry-prometheus</artifactId>"), service);
            String schema = service.substring(0, service.length() - "-service".length());
            assertEquals(schema, env.get("QUARKUS_FLYWAY_SCHEMAS").path("value").asText());
            String jdbc = env.get("QUARKUS_DATASOURCE_JDBC_URL").path("value").asText();
            assertTrue(jdbc.endsWith("?currentSchema=" + schema), jdbc);
            Matcher refs = Pattern.compile("\\$\\(([A-Z_]+)\\)").matcher(jdbc);
            while (refs.find()) {
                assertTrue(config.has(refs.group(1)), refs.group(1) + " is not in meridian-config");
            }
            assertEquals("meridian-config", container.at("/envFrom/0/configMapRef/name").asText());
            assertFalse(container.at("/resources/requests/cpu").isMissingNode(), service + " requests no CPU");
            assertFalse(container.at("/resources/limits/memory").isMissingNode(), service + " has no memory limit");

            JsonNode svc = object("Service", service);
            assertEquals(labels, svc.at("/spec/selector"));
            assertEquals("http", svc.at("/spec/ports/0/targetPort").asText());
            JsonNode hpa = object("HorizontalPodAutoscaler", service);
            assertEquals("Deployment", hpa.at("/spec/scaleTargetRef/kind").asText());
            assertEquals(service, hpa.at("/spec/scaleTargetRef/name").asText());
            assertTrue(hpa.at("/spec/minReplicas").asInt() >= 2, "one replica is not highly available");
            assertEquals(labels, object("PodDisruptionBudget", service).at("/spec/selector/matchLabels"));
        }
        // the services find each other through their Services
        assertEquals("http://models-service", config.path("QUARKUS_REST_CLIENT_MODELS_URL").asText());
        assertEquals("http://moderation-service", config.path("QUARKUS_REST_CLIENT_MODERATION_URL").asText());
        assertEquals("http://admin-service", config.path("QUARKUS_REST_CLIENT_ADMIN_URL").asText());
    }

    @Test
    void theIngressRoutesWhatTheEdgeRoutes() throws IOException {
        Properties edge = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            edge.load(in);
        }
        Map<String, String> expected = new TreeMap<>();
        Pattern route = Pattern.compile("meridian\\.edge\\.routes\\.([a-z]+)\\.paths");
        for (String key : edge.stringPropertyNames()) {
            Matcher m = route.matcher(key);
            if (m.matches()) {
                for (String path : edge.getProperty(key).split(",")) {
                    expected.put(path.strip(), m.group(1) + "-service");
                }
            }
        }
        assertFalse(expected.isEmpty());
        Map<String, String> routed = new TreeMap<>();
        object("Ingress", "meridian").at("/spec/rules/0/http/paths").forEach(p -> {
            assertEquals("Prefix", p.path("pathType").asText());
            routed.put(p.path("path").asText(), p.at("/backend/service/name").asText());
            assertEquals("http", p.at("/backend/service/port/name").asText());
        });
        assertEquals(expected, routed);
    }

    @Test
    void kustomizationListsEveryManifestAndImage() throws IOException {
        JsonNode k = new YAMLMapper().readTree(K8S.resolve("kustomization.yaml").toFile());
        Set<String> listed = new HashSet<>();
        k.path("resources").forEach(r -> listed.add(r.asText()));
        Set<String> files = new HashSet<>();
        try (Stream<Path> all = Files.list(K8S)) {
            all.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
                    .forEach(files::add);
        }
        assertEquals(files, listed);
        Set<String> images = new HashSet<>();
        k.path("images").forEach(i -> images.add(i.path("name").asText()));
        for (String service : services) {
            assertTrue(images.contains("meridian/" + service), "kustomization sets no tag for " + service);
        }
        assertNotNull(object("Namespace", k.path("namespace").asText()));
    }
}
