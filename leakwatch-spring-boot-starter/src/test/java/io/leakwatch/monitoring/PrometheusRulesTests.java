package io.leakwatch.monitoring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.leakwatch.core.DetectorSettings;
import io.leakwatch.core.LeakDetector;
import io.leakwatch.core.LeakListener;
import io.leakwatch.metrics.LeakwatchMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The monitoring files the starter ships are what the README promises: Prometheus accepts the rules and
 * their unit tests pass, Grafana's alert rules are the same alerts, and the dashboard queries the data
 * source the user picks, with meters the starter really exports.
 */
class PrometheusRulesTests {

	private static final Path MONITORING = Path.of("monitoring");

	private static final Path RULES = MONITORING.resolve("prometheus/leakwatch-alerts.yml");

	private static final Path RULE_TESTS = MONITORING.resolve("prometheus/leakwatch-alerts-test.yml");

	private static final Path GRAFANA_RULES = MONITORING.resolve("grafana/leakwatch-alerting.yaml");

	private static final Path DASHBOARD = MONITORING.resolve("grafana/leakwatch-dashboard.json");

	private static final Pattern METRIC = Pattern.compile("\\b((?:leakwatch|jvm)_[a-z_]+)\\b");

	@TempDir
	Path temp;

	@Test
	void promtoolAcceptsTheRules() throws Exception {
		Result result = promtool("check", "rules", RULES.toString());
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("SUCCESS: 3 rules found");
	}

	@Test
	void promtoolUnitTestsPass() throws Exception {
		Result result = promtool("test", "rules", RULE_TESTS.toString());
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("SUCCESS");
	}

	@Test
	void promtoolUnitTestsFailWhenAnExpectationIsWrong() throws Exception {
		// The rules' unit tests must be able to fail: the same tests with one expected rate changed.
		Files.copy(RULES, this.temp.resolve(RULES.getFileName()));
		String tests = Files.readString(RULE_TESTS);
		assertThat(tests).contains("grown at 60MiB/h");
		Path wrong = this.temp.resolve("wrong-test.yml");
		Files.writeString(wrong, tests.replace("grown at 60MiB/h", "grown at 61MiB/h"));
		Result result = promtool("test", "rules", wrong.toString());
		assertThat(result.exitCode()).as(result.output()).isNotZero();
		assertThat(result.output()).contains("FAILED", "LeakwatchLeakSuspected");
	}

	@Test
	void grafanaRulesAreThePrometheusRules() throws IOException {
		List<Map<String, Object>> prometheus = rules(yaml(RULES));
		List<Map<String, Object>> grafana = rules(yaml(GRAFANA_RULES));
		assertThat(grafana).extracting((rule) -> rule.get("title"))
			.containsExactlyElementsOf(prometheus.stream().map((rule) -> rule.get("alert")).toList())
			.containsExactly("LeakwatchLeakSuspected", "LeakwatchHeapBaseRising", "LeakwatchHeapExhaustionPredicted");
		for (int i = 0; i < prometheus.size(); i++) {
			Map<String, Object> expected = prometheus.get(i);
			Map<String, Object> rule = grafana.get(i);
			String name = (String) rule.get("title");
			assertThat(rule.get("for")).as(name).isEqualTo(expected.get("for"));
			assertThat(rule.get("labels")).as(name).isEqualTo(expected.get("labels"));
			assertThat(rule.get("noDataState")).as(name).isEqualTo("OK");
			assertThat(rule.get("condition")).as(name).isEqualTo("C");
			List<Map<String, Object>> data = list(rule.get("data"));
			assertThat(data).as(name).extracting((query) -> query.get("refId")).containsExactly("A", "B", "C");
			assertThat(data.get(0).get("datasourceUid")).as(name).isEqualTo("prometheus");
			Map<String, Object> query = map(data.get(0).get("model"));
			assertThat(query.get("expr")).as(name).isEqualTo(expected.get("expr"));
			assertThat(query.get("instant")).as(name).isEqualTo(true);
			assertThat(map(data.get(1).get("model"))).as(name)
				.containsEntry("type", "reduce")
				.containsEntry("expression", "A");
			assertThat(map(data.get(2).get("model"))).as(name)
				.containsEntry("type", "math")
				.containsEntry("expression", "is_number($B)");
			Map<String, Object> annotations = map(expected.get("annotations"));
			Map<String, Object> grafanaAnnotations = map(rule.get("annotations"));
			assertThat(grafanaAnnotations).as(name).containsOnlyKeys("summary", "description", "runbook_url");
			assertThat(grafanaAnnotations.get("summary")).as(name).isEqualTo(annotations.get("summary"));
			assertThat(grafanaAnnotations.get("runbook_url")).as(name).isEqualTo(annotations.get("runbook_url"));
			// Prometheus's $value is the query's value; in Grafana that is the reduced query, $values.B.
			assertThat(grafanaAnnotations.get("description")).as(name)
				.isEqualTo(((String) annotations.get("description")).replace("{{ $value | humanize1024 }}",
						"{{ humanize1024 $values.B.Value }}"));
		}
	}

	@Test
	void everyAlertNamesInstanceRateAndRunbook() throws IOException {
		for (Map<String, Object> rule : rules(yaml(RULES))) {
			String name = (String) rule.get("alert");
			assertThat((String) rule.get("expr")).as(name).contains("by (application, instance)");
			assertThat(rule.get("for")).as(name).isNotNull();
			assertThat(map(rule.get("labels"))).as(name).containsKey("severity");
			Map<String, Object> annotations = map(rule.get("annotations"));
			assertThat((String) annotations.get("summary")).as(name).contains("{{ $labels.instance }}");
			assertThat((String) annotations.get("description")).as(name)
				.contains("{{ $labels.instance }}", "{{ $value | humanize1024 }}B/h");
			assertThat((String) annotations.get("runbook_url")).as(name)
				.endsWith("README.md#heap-dump-diffs-actuatorheapdump-diff");
		}
	}

	@Test
	void dashboardQueriesTheChosenDataSourceForTheChosenInstances() throws IOException {
		DocumentContext dashboard = JsonPath.parse(Files.readString(DASHBOARD));
		assertThat(dashboard.read("$.templating.list[*].name", List.class))
			.containsExactly("datasource", "application", "instance");
		assertThat(dashboard.read("$.templating.list[0].type", String.class)).isEqualTo("datasource");
		assertThat(dashboard.read("$.templating.list[0].query", String.class)).isEqualTo("prometheus");
		for (int i = 1; i <= 2; i++) {
			assertThat(dashboard.read("$.templating.list[" + i + "].type", String.class)).isEqualTo("query");
			assertThat(dashboard.read("$.templating.list[" + i + "].datasource.uid", String.class))
				.isEqualTo("${datasource}");
			assertThat(dashboard.read("$.templating.list[" + i + "].query", String.class))
				.startsWith("label_values(leakwatch_leak_suspected");
		}
		List<Map<String, Object>> panels = dashboard.read("$.panels");
		assertThat(panels).isNotEmpty();
		assertThat(panels.stream().map((panel) -> panel.get("id")).distinct()).hasSameSizeAs(panels);
		List<String> expressions = new ArrayList<>();
		for (Map<String, Object> panel : panels) {
			Object title = panel.get("title");
			assertThat(map(panel.get("datasource"))).as("%s", title).containsEntry("uid", "${datasource}");
			assertThat(panel.get("gridPos")).as("%s", title).isNotNull();
			List<Map<String, Object>> targets = list(panel.get("targets"));
			assertThat(targets).as("%s", title).isNotEmpty();
			for (Map<String, Object> target : targets) {
				assertThat(map(target.get("datasource"))).as("%s", title).containsEntry("uid", "${datasource}");
				String expr = (String) target.get("expr");
				assertThat(expr).as("%s", title).contains("application=~\"$application\"", "instance=~\"$instance\"");
				expressions.add(expr);
			}
		}
		List<Map<String, Object>> annotations = dashboard.read("$.annotations.list[?(@.expr)]");
		assertThat(annotations).extracting((annotation) -> map(annotation.get("datasource")).get("uid"))
			.containsOnly("${datasource}");
		assertThat(annotations).extracting((annotation) -> (String) annotation.get("expr"))
			.anySatisfy((expr) -> assertThat(expr).contains("leakwatch_leaks_total"));
		assertThat(metrics(expressions)).contains("leakwatch_heap_base_current_bytes",
				"leakwatch_heap_base_estimated_bytes", "leakwatch_heap_base_min_bytes", "leakwatch_heap_base_max_bytes",
				"leakwatch_heap_usage_trend_percent", "leakwatch_gc_full_total", "leakwatch_gc_incremental_total",
				"leakwatch_leak_suspected", "jvm_memory_used_bytes", "jvm_memory_max_bytes");
	}

	@Test
	void rulesAndDashboardUseMetersTheStarterExports() throws IOException {
		Set<String> used = new LinkedHashSet<>();
		rules(yaml(RULES)).forEach((rule) -> used.addAll(metrics(List.of((String) rule.get("expr")))));
		used.addAll(metrics(List.of(Files.readString(DASHBOARD))));
		String scrape;
		try (LeakDetector detector = LeakDetector.start(DetectorSettings.defaults(), new LeakListener() {
		}, false)) {
			PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
			// As management.metrics.tags.application does in a service.
			registry.config().commonTags("application", "shop");
			new LeakwatchMetrics(detector, List.of()).bindTo(registry);
			new JvmMemoryMetrics().bindTo(registry);
			scrape = registry.scrape();
		}
		// Micrometer's GC meters appear after the first collection is reported; the end-to-end test
		// (PrometheusAlertIT in the sample) queries them from a real scrape.
		used.removeIf((name) -> name.startsWith("jvm_gc_"));
		assertThat(used).isNotEmpty().allSatisfy((name) -> assertThat(scrape).contains("\n" + name + "{"));
	}

	private static Set<String> metrics(List<String> expressions) {
		Set<String> names = new LinkedHashSet<>();
		for (String expression : expressions) {
			Matcher matcher = METRIC.matcher(expression);
			while (matcher.find()) {
				names.add(matcher.group(1));
			}
		}
		return names;
	}

	private static Map<String, Object> yaml(Path file) throws IOException {
		return new Yaml().load(Files.readString(file));
	}

	private static List<Map<String, Object>> rules(Map<String, Object> file) {
		List<Map<String, Object>> groups = list(file.get("groups"));
		assertThat(groups).hasSize(1);
		return list(groups.get(0).get("rules"));
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> list(Object value) {
		assertThat(value).isInstanceOf(List.class);
		return (List<Map<String, Object>>) value;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		assertThat(value).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

	/**
	 * Runs promtool. Without it the test fails on CI (which installs Debian's {@code prometheus}) and is
	 * skipped elsewhere.
	 */
	private Result promtool(String... arguments) throws Exception {
		Path promtool = Executables.find("promtool");
		if (promtool == null) {
			String message = "promtool is not on the PATH: install it (Debian: apt-get install prometheus)";
			if ("true".equals(System.getenv("CI"))) {
				fail(message);
			}
			assumeTrue(false, message + "; skipped outside CI");
		}
		List<String> command = new ArrayList<>();
		command.add(promtool.toString());
		command.addAll(List.of(arguments));
		// Output to a file, not a pipe: a stuck promtool then cannot hang the test past its time limit.
		Path output = Files.createTempFile(this.temp, "promtool", ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor();
			fail("promtool did not finish in 60 s: " + String.join(" ", command) + "\n" + Files.readString(output));
		}
		return new Result(process.exitValue(), Files.readString(output));
	}

	private record Result(int exitCode, String output) {
	}

}
