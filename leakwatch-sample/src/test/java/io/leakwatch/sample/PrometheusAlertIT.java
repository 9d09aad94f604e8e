package io.leakwatch.sample;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shipped alert rules and dashboard against a real Prometheus: the packaged sample leaking and a
 * control beside it, both scraped every second by a Prometheus server that loads the starter's rules
 * file unmodified. The leak alert must fire for the leaking sample only, and every dashboard query must
 * return data.
 */
class PrometheusAlertIT {

	private static final String ALERT = "LeakwatchLeakSuspected";

	private static final String LEAKING = "leakwatch-sample-leaking";

	private static final String CONTROL = "leakwatch-sample-control";

	/** {@code for: 1m} plus start-up, detection and a margin for a machine shared with other builds. */
	private static final Duration FIRING_TIMEOUT = Duration.ofSeconds(150);

	/** Grafana's $__rate_interval floor is four scrape intervals; 15 s is Grafana's default scrape interval. */
	private static final String RATE_INTERVAL = "15s";

	private static final Pattern LOG_TIME = Pattern.compile("^(\\S+Z)\\s");

	private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final List<Process> processes = new ArrayList<>();

	@TempDir
	Path temp;

	@AfterEach
	void stopProcesses() throws InterruptedException {
		// Every process this test started, whether it passed or not: SIGTERM, then SIGKILL.
		for (Process process : this.processes) {
			process.destroy();
		}
		for (Process process : this.processes) {
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	@Test
	void leakAlertFiresForTheLeakingSampleAndStaysInactiveForTheControl() throws Exception {
		Path prometheus = requireExecutable("prometheus");
		Path monitoring = Path
			.of(System.getProperty("leakwatch.monitoring", "../leakwatch-spring-boot-starter/monitoring"));
		Path rules = monitoring.resolve("prometheus/leakwatch-alerts.yml").toAbsolutePath();
		Path dashboard = monitoring.resolve("grafana/leakwatch-dashboard.json");
		assertThat(rules).isRegularFile();
		assertThat(dashboard).isRegularFile();

		int leakPort = freePort();
		int controlPort = freePort();
		int prometheusPort = freePort();
		String leakInstance = "127.0.0.1:" + leakPort;
		String controlInstance = "127.0.0.1:" + controlPort;
		Path leakLog = this.temp.resolve("leaking.log");
		Path controlLog = this.temp.resolve("control.log");
		Path prometheusLog = this.temp.resolve("prometheus.log");

		Instant start = Instant.now();
		Process leaking = startSample(leakPort, LEAKING, true, leakLog);
		Process control = startSample(controlPort, CONTROL, false, controlLog);
		Path config = this.temp.resolve("prometheus.yml");
		Files.writeString(config, """
				global:
				  scrape_interval: 1s
				  evaluation_interval: 1s
				rule_files:
				  - "%s"
				scrape_configs:
				  - job_name: leakwatch-sample
				    metrics_path: /actuator/prometheus
				    static_configs:
				      - targets: ["%s", "%s"]
				""".formatted(rules, leakInstance, controlInstance));
		Process server = start(List.of(prometheus.toString(), "--config.file=" + config,
				"--storage.tsdb.path=" + this.temp.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort),
				prometheusLog);
		String api = "http://127.0.0.1:" + prometheusPort;

		awaitOk(api + "/-/ready", server, prometheusLog);
		awaitOk("http://" + leakInstance + "/actuator/health", leaking, leakLog);
		awaitOk("http://" + controlInstance + "/actuator/health", control, controlLog);

		// Poll the alerts every second: the control must never appear, in any state, while the leak's alert
		// goes from pending to firing.
		long deadline = System.nanoTime() + FIRING_TIMEOUT.toNanos();
		Instant firing = null;
		String activeAt = null;
		int polls = 0;
		while (firing == null && System.nanoTime() < deadline) {
			assertThat(leaking.isAlive()).as("the leaking sample exited: %s", tail(leakLog)).isTrue();
			assertThat(control.isAlive()).as("the control sample exited: %s", tail(controlLog)).isTrue();
			assertThat(server.isAlive()).as("Prometheus exited: %s", tail(prometheusLog)).isTrue();
			DocumentContext alerts = getJson(api + "/api/v1/alerts");
			polls++;
			List<Map<String, Object>> all = alerts.read("$.data.alerts");
			assertThat(all).as("alerts for the control")
				.noneMatch((alert) -> CONTROL.equals(label(alert, "application")));
			for (Map<String, Object> alert : all) {
				if (ALERT.equals(label(alert, "alertname")) && LEAKING.equals(label(alert, "application"))
						&& leakInstance.equals(label(alert, "instance")) && "firing".equals(alert.get("state"))) {
					firing = Instant.now();
					activeAt = (String) alert.get("activeAt");
				}
			}
			if (firing == null) {
				Thread.sleep(1000);
			}
		}
		assertThat(firing).as("%s firing within %s; alerts: %s%nleaking sample: %s%nPrometheus: %s", ALERT,
				FIRING_TIMEOUT, get(api + "/api/v1/alerts").body(), tail(leakLog), tail(prometheusLog))
			.isNotNull();

		// The rule as Prometheus holds it: firing, for the leaking instance only.
		DocumentContext ruleState = getJson(api + "/api/v1/rules?type=alert");
		List<String> states = ruleState.read("$.data.groups[*].rules[?(@.name == '" + ALERT + "')].state");
		assertThat(states).containsExactly("firing");
		List<String> instances = ruleState
			.read("$.data.groups[*].rules[?(@.name == '" + ALERT + "')].alerts[*].labels.instance");
		assertThat(instances).containsExactly(leakInstance);
		// The control stayed quiet while scraped, not for lack of data: its meters are in Prometheus.
		assertThat(instantValues(api, "leakwatch_leak_suspected{application=\"" + CONTROL + "\"}"))
			.containsExactly("0");
		assertThat(instantValues(api, "up{instance=\"" + controlInstance + "\"}")).containsExactly("1");

		assertDashboardQueriesReturnData(api, dashboard, start, leakInstance);

		Instant leakEvent = logTime(leakLog, "Possible memory leak");
		Instant started = logTime(leakLog, "Started SampleApplication");
		System.out.printf(Locale.ROOT,
				"PrometheusAlertIT (Java %s): from the sample's launch: started %.1f s, leak event %.1f s, "
						+ "%s pending (activeAt) %.1f s, firing seen %.1f s (%d polls at 1 s); "
						+ "load average %.1f on %d CPUs%n",
				Runtime.version().feature(), seconds(start, started), seconds(start, leakEvent), ALERT,
				seconds(start, Instant.parse(activeAt)), seconds(start, firing), polls,
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
				Runtime.getRuntime().availableProcessors());
	}

	private void assertDashboardQueriesReturnData(String api, Path dashboardFile, Instant from, String instance)
			throws Exception {
		DocumentContext dashboard = JsonPath.parse(Files.readString(dashboardFile));
		List<String> queries = new ArrayList<>(dashboard.read("$.panels[*].targets[*].expr"));
		queries.addAll(dashboard.read("$.annotations.list[?(@.expr)].expr"));
		assertThat(queries).hasSizeGreaterThan(10);
		// /api/v1/alerts reports the alert firing as soon as it is evaluated; its ALERTS series, which the
		// dashboard's annotation reads, is appended with that evaluation. Wait for it, then query up to now.
		String firing = "ALERTS{alertname=\"" + ALERT + "\", alertstate=\"firing\", instance=\"" + instance + "\"}";
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		while (instantValues(api, firing).isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(500);
		}
		long start = from.getEpochSecond();
		long end = Instant.now().getEpochSecond() + 1;
		// As Grafana runs them: a range query over the test's time span, variables substituted.
		for (String query : queries) {
			String expr = substitute(query, instance);
			DocumentContext result = getJson(api + "/api/v1/query_range?query=" + encode(expr) + "&start=" + start
					+ "&end=" + end + "&step=1");
			List<String> values = result.read("$.data.result[*].values[*][1]");
			assertThat(values).as("values of the dashboard query %s", expr)
				.isNotEmpty()
				.anyMatch((value) -> !"NaN".equals(value));
		}
		List<String> variables = dashboard.read("$.templating.list[?(@.type == 'query')].definition");
		assertThat(variables).hasSize(2);
		for (String variable : variables) {
			Matcher matcher = LABEL_VALUES.matcher(substitute(variable, instance));
			assertThat(matcher.matches()).as(variable).isTrue();
			DocumentContext result = getJson(api + "/api/v1/series?match[]=" + encode(matcher.group(1)) + "&start="
					+ start + "&end=" + end);
			List<String> values = result.read("$.data[*]." + matcher.group(2));
			assertThat(values).as("values of the dashboard variable %s", variable)
				.contains(matcher.group(2).equals("instance") ? instance : LEAKING);
		}
	}

	private static String substitute(String query, String instance) {
		return query.replace("$application", LEAKING)
			.replace("$instance", instance)
			.replace("$__rate_interval", RATE_INTERVAL);
	}

	private List<String> instantValues(String api, String query) throws Exception {
		return getJson(api + "/api/v1/query?query=" + encode(query)).read("$.data.result[*].value[1]");
	}

	private Process startSample(int port, String application, boolean leak, Path log) throws IOException {
		String jar = System.getProperty("sample.jar", "target/leakwatch-sample.jar");
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		return start(List.of(java, "-Xmx256m", "-jar", jar, "--server.port=" + port,
				"--spring.application.name=" + application, "--sample.leak.enabled=" + leak), log);
	}

	private Process start(List<String> command, Path log) throws IOException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		this.processes.add(process);
		return process;
	}

	private void awaitOk(String url, Process process, Path log) throws Exception {
		// Generous: on a loaded machine (load average 17 on 2 cores here) the sample took 101 s to start.
		long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
		while (System.nanoTime() < deadline) {
			assertThat(process.isAlive()).as("%s exited: %s", url, tail(log)).isTrue();
			try {
				if (get(url).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			Thread.sleep(250);
		}
		fail("No 200 from " + url + " within 180 s: " + tail(log));
	}

	private DocumentContext getJson(String url) throws Exception {
		HttpResponse<String> response = get(url);
		assertThat(response.statusCode()).as("%s: %s", url, response.body()).isEqualTo(200);
		DocumentContext json = JsonPath.parse(response.body());
		assertThat(json.read("$.status", String.class)).as(url).isEqualTo("success");
		return json;
	}

	private HttpResponse<String> get(String url) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
		return this.client.send(request, HttpResponse.BodyHandlers.ofString());
	}

	@SuppressWarnings("unchecked")
	private static String label(Map<String, Object> alert, String name) {
		return ((Map<String, String>) alert.get("labels")).get(name);
	}

	private static Instant logTime(Path log, String marker) throws IOException {
		for (String line : Files.readAllLines(log)) {
			Matcher matcher = LOG_TIME.matcher(line);
			if (line.contains(marker) && matcher.find()) {
				return Instant.parse(matcher.group(1));
			}
		}
		throw new AssertionError("No \"" + marker + "\" in the sample's log: " + tail(log));
	}

	private static double seconds(Instant from, Instant to) {
		return Duration.between(from, to).toMillis() / 1000.0;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static String tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	/**
	 * The Prometheus server from the PATH. Without it the test fails on CI (whose {@code .ci/run} installs
	 * Debian's {@code prometheus}) and is skipped elsewhere.
	 */
	private static Path requireExecutable(String name) {
		String path = System.getenv("PATH");
		if (path != null) {
			for (String directory : path.split(File.pathSeparator)) {
				Path candidate = Path.of(directory.isEmpty() ? "." : directory, name);
				if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
					return candidate;
				}
			}
		}
		String message = name + " is not on the PATH: install it (Debian: apt-get install prometheus)";
		if ("true".equals(System.getenv("CI"))) {
			fail(message);
		}
		assumeTrue(false, message + "; skipped outside CI");
		return null;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
