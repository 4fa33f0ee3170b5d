package dev.hanul.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana and Prometheus files of the docker compose stack, read as Grafana and Prometheus read them: the data
 * source and dashboard provisioning files (apiVersion 1), the dashboards they load (every data source reference
 * resolves to a provisioned data source or a data source variable, every panel has queries), and the Prometheus
 * configuration with its rule file. Docker cannot run here; what the containers would see is checked through the
 * mounts docker-compose.yml declares.
 */
class GrafanaProvisioningTest {

    private static final Path OPS = Path.of("ops");
    private static final Pattern VARIABLE = Pattern.compile("^\\$\\{?([A-Za-z0-9_]+)}?$");

    private static Map<String, Object> compose;
    private static Map<String, String> grafanaMounts;

    @BeforeAll
    static void readCompose() throws IOException {
        compose = yaml(Path.of("docker-compose.yml"));
        grafanaMounts = mounts("grafana");
    }

    @Test
    void dataSourcesAreProvisionedWithUniqueUidsAndOneDefault() throws IOException {
        List<Map<String, Object>> sources = dataSources();
        assertThat(sources).isNotEmpty();
        Set<String> uids = new HashSet<>();
        int defaults = 0;
        for (Map<String, Object> source : sources) {
            assertThat(source).as("data source %s", source).containsKeys("name", "type", "uid", "url", "access");
            assertThat((String) source.get("uid")).matches("[a-zA-Z0-9_-]{1,40}");
            assertThat(uids.add((String) source.get("uid"))).as("uid %s is unique", source.get("uid")).isTrue();
            assertThat(source.get("access")).isIn("proxy", "direct");
            if (Boolean.TRUE.equals(source.get("isDefault"))) {
                defaults++;
            }
        }
        assertThat(defaults).as("data sources marked isDefault").isLessThanOrEqualTo(1);
        Map<String, Object> prometheus = sources.stream().filter(s -> "prometheus".equals(s.get("type")))
                .findFirst().orElseThrow();
        // The URL names the compose service and the port Prometheus listens on inside the network.
        assertThat((String) prometheus.get("url")).isEqualTo("http://prometheus:9090");
        assertThat(services()).containsKey("prometheus");
    }

    @Test
    void theDashboardProviderLoadsEveryShippedDashboard() throws IOException {
        assertThat(grafanaMounts).containsEntry("/etc/grafana/provisioning", "./ops/grafana/provisioning");
        Map<String, Object> file = yaml(OPS.resolve("grafana/provisioning/dashboards/hanul.yml"));
        assertThat(file.get("apiVersion")).isEqualTo(1);
        List<Map<String, Object>> providers = list(file.get("providers"));
        assertThat(providers).hasSize(1);
        Map<String, Object> provider = providers.getFirst();
        assertThat(provider.get("type")).isEqualTo("file");
        String path = (String) map(provider.get("options")).get("path");
        List<Path> shipped = dashboards();
        assertThat(shipped).isNotEmpty();
        for (Path dashboard : shipped) {
            assertThat(grafanaMounts).as("%s is mounted in the provider's folder", dashboard)
                    .containsEntry(path + "/" + dashboard.getFileName(), "./" + dashboard.toString().replace('\\', '/'));
        }
    }

    @Test
    void everyPanelQueriesAResolvableDataSource() throws IOException {
        Set<String> provisionedUids = new HashSet<>();
        Set<String> provisionedTypes = new HashSet<>();
        for (Map<String, Object> source : dataSources()) {
            provisionedUids.add((String) source.get("uid"));
            provisionedTypes.add((String) source.get("type"));
        }
        for (Path file : dashboards()) {
            JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(file));
            assertThat(dashboard.path("uid").asString()).as(file + " uid").matches("[a-zA-Z0-9_-]{1,40}");
            assertThat(dashboard.path("title").asString()).as(file + " title").isNotBlank();
            Map<String, String> dataSourceVariables = new HashMap<>();
            Set<String> variables = new HashSet<>();
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                variables.add(variable.path("name").asString());
                if ("datasource".equals(variable.path("type").asString())) {
                    String type = variable.path("query").asString();
                    assertThat(provisionedTypes).as("%s: variable %s picks a provisioned data source type", file,
                            variable.path("name").asString()).contains(type);
                    dataSourceVariables.put(variable.path("name").asString(), type);
                }
            }
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                if (variable.has("datasource")) {
                    assertResolves(file + " variable " + variable.path("name").asString(), variable.path("datasource"),
                            provisionedUids, dataSourceVariables);
                }
            }
            List<JsonNode> panels = new ArrayList<>();
            dashboard.path("panels").forEach(panel -> {
                panels.add(panel);
                panel.path("panels").forEach(panels::add);
            });
            assertThat(panels).as(file + " panels").isNotEmpty();
            Set<Integer> ids = new HashSet<>();
            int queried = 0;
            for (JsonNode panel : panels) {
                String name = file + " panel '" + panel.path("title").asString() + "'";
                assertThat(ids.add(panel.path("id").asInt())).as(name + " has a unique id").isTrue();
                JsonNode grid = panel.path("gridPos");
                assertThat(grid.path("w").asInt()).as(name + " width").isBetween(1, 24);
                assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(name + " fits the 24 columns")
                        .isLessThanOrEqualTo(24);
                assertThat(grid.path("h").asInt()).as(name + " height").isPositive();
                if ("row".equals(panel.path("type").asString())) {
                    continue;
                }
                assertResolves(name, panel.path("datasource"), provisionedUids, dataSourceVariables);
                JsonNode targets = panel.path("targets");
                assertThat(targets.isArray() && !targets.isEmpty()).as(name + " has queries").isTrue();
                Set<String> refIds = new HashSet<>();
                for (JsonNode target : targets) {
                    assertThat(refIds.add(target.path("refId").asString())).as(name + " refIds are unique").isTrue();
                    String expr = target.path("expr").asString();
                    assertThat(expr).as(name + " query").isNotBlank();
                    Matcher used = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)").matcher(expr);
                    while (used.find()) {
                        String variable = used.group(1);
                        assertThat(variable.startsWith("__") || variables.contains(variable))
                                .as("%s uses $%s, which the dashboard defines", name, variable).isTrue();
                    }
                    if (target.has("datasource")) {
                        assertResolves(name, target.path("datasource"), provisionedUids, dataSourceVariables);
                    }
                }
                queried++;
            }
            assertThat(queried).as(file + " panels with queries").isPositive();
        }
    }

    @Test
    void prometheusScrapesHanulAndLoadsTheMountedAlertRules() throws IOException {
        Map<String, String> mounts = mounts("prometheus");
        Map<String, Object> config = yaml(OPS.resolve("prometheus/prometheus.yml"));
        assertThat(mounts).containsEntry("/etc/prometheus/prometheus.yml", "./ops/prometheus/prometheus.yml");
        for (Object ruleFile : list(config.get("rule_files"))) {
            String source = mounts.get((String) ruleFile);
            assertThat(source).as("rule file %s is mounted", ruleFile).isNotNull();
            Map<String, Object> rules = yaml(Path.of(source));
            List<Map<String, Object>> groups = list(rules.get("groups"));
            assertThat(groups).isNotEmpty();
            for (Map<String, Object> group : groups) {
                for (Map<String, Object> rule : list(group.get("rules"))) {
                    assertThat(rule).as("rule in group %s", group.get("name")).containsKey("expr");
                    assertThat(rule.containsKey("alert") || rule.containsKey("record")).isTrue();
                }
            }
        }
        List<Map<String, Object>> jobs = list(config.get("scrape_configs"));
        Map<String, Object> hanul = jobs.stream().filter(job -> "hanul".equals(job.get("job_name"))).findFirst()
                .orElseThrow();
        assertThat(hanul.get("metrics_path")).isEqualTo("/actuator/prometheus");
        assertThat(map(hanul.get("authorization"))).containsEntry("type", "Bearer");
        List<String> targets = new ArrayList<>();
        list(hanul.get("static_configs")).forEach(c -> targets.addAll(strings(c.get("targets"))));
        for (String target : targets) {
            String service = target.substring(0, target.indexOf(':'));
            assertThat(services()).as("scrape target %s is a compose service", target).containsKey(service);
        }
    }

    private static void assertResolves(String where, JsonNode reference, Set<String> uids,
            Map<String, String> dataSourceVariables) {
        assertThat(reference.isObject()).as(where + " names its data source").isTrue();
        String uid = reference.path("uid").asString();
        Matcher variable = VARIABLE.matcher(uid);
        if (variable.matches()) {
            String type = dataSourceVariables.get(variable.group(1));
            assertThat(type).as("%s: ${%s} is a data source variable", where, variable.group(1)).isNotNull();
            assertThat(reference.path("type").asString()).as(where + " data source type").isEqualTo(type);
        } else {
            assertThat(uids).as(where + " data source uid").contains(uid);
        }
    }

    private static List<Map<String, Object>> dataSources() throws IOException {
        List<Map<String, Object>> all = new ArrayList<>();
        try (var files = Files.list(OPS.resolve("grafana/provisioning/datasources"))) {
            for (Path file : files.sorted().toList()) {
                Map<String, Object> provisioning = yaml(file);
                assertThat(provisioning.get("apiVersion")).as(file + " apiVersion").isEqualTo(1);
                all.addAll(list(provisioning.get("datasources")));
            }
        }
        return all;
    }

    private static List<Path> dashboards() throws IOException {
        try (var files = Files.list(OPS.resolve("grafana"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static Map<String, Object> services() {
        return map(compose.get("services"));
    }

    /** A service's bind mounts: container path to host path, as docker-compose.yml writes them. */
    private static Map<String, String> mounts(String service) {
        Map<String, String> mounts = new HashMap<>();
        for (String volume : strings(map(services().get(service)).get("volumes"))) {
            String[] parts = volume.split(":");
            if (parts[0].startsWith("./")) {
                mounts.put(parts[1], parts[0]);
            }
        }
        return mounts;
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        return new Yaml().load(Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<String>) value;
    }
}
