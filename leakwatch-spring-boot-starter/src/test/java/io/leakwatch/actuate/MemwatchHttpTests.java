package io.leakwatch.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;

import javax.management.ObjectName;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.leakwatch.core.LeakDetector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/memwatch} and {@code /actuator/prometheus} over real HTTP from a running app, and
 * the memwatch MBean over JMX.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.endpoints.web.exposure.include=memwatch,prometheus",
				"spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=memwatch",
				"leakwatch.detector.warm-up=0s" })
class MemwatchHttpTests {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int port;

	@Autowired
	private LeakDetector detector;

	@BeforeEach
	void collectOnce() {
		System.gc();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.detector.stats().baseSamples() > 0);
	}

	@Test
	void memwatchReturnsTheStatsOfThisJvm() throws Exception {
		HttpResponse<String> response = get("/actuator/memwatch");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).contains("json"));
		DocumentContext json = JsonPath.parse(response.body());
		assertThat(json.read("$.stats.numFullGc", Long.class)).isPositive();
		assertThat(json.read("$.stats.currentBase", Long.class)).isPositive();
		assertThat(json.read("$.stats.heapMax", Long.class)).isEqualTo(Runtime.getRuntime().maxMemory());
		assertThat(json.read("$.stats.lastSample", String.class)).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
		assertThat(json.read("$.suspected", Boolean.class)).isFalse();
		assertThat(json.read("$.leaks", Long.class)).isZero();
		assertThat(json.read("$.recentLeaks", java.util.List.class)).isEmpty();
		assertThat(json.read("$.collectors", java.util.List.class)).isNotEmpty();
	}

	@Test
	void prometheusExposesLeakwatchMeters() throws Exception {
		HttpResponse<String> response = get("/actuator/prometheus");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("leakwatch_heap_base_current_bytes ",
				"leakwatch_heap_base_estimated_bytes ",
				"leakwatch_heap_usage_trend_percent ", "leakwatch_leak_suspected 0.0", "leakwatch_leaks_total 0.0",
				"leakwatch_gc_full_total ", "leakwatch_gc_incremental_total ", "leakwatch_heap_compactions_total ",
				"leakwatch_heap_base_min_bytes ", "leakwatch_heap_base_max_bytes ", "leakwatch_heap_base_samples_total ");
		String current = response.body()
			.lines()
			.filter((line) -> line.startsWith("leakwatch_heap_base_current_bytes "))
			.findFirst()
			.orElseThrow();
		assertThat(Double.parseDouble(current.split(" ")[1])).isPositive();
	}

	@Test
	@SuppressWarnings("unchecked")
	void memwatchIsAnMBeanToo() throws Exception {
		ObjectName name = new ObjectName("org.springframework.boot:type=Endpoint,name=Memwatch");
		Object result = ManagementFactory.getPlatformMBeanServer()
			.invoke(name, "memwatch", new Object[0], new String[0]);
		assertThat(result).isInstanceOf(Map.class);
		Map<String, Object> stats = (Map<String, Object>) ((Map<String, Object>) result).get("stats");
		assertThat(((Number) stats.get("numFullGc")).longValue()).isPositive();
		assertThat(((Number) stats.get("currentBase")).longValue()).isPositive();
	}

	@Test
	void unexposedEndpointsAreNotFound() throws Exception {
		assertThat(get("/actuator/heapdump").statusCode()).isEqualTo(404);
	}

	private HttpResponse<String> get(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.build();
		return this.client.send(request, HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootApplication
	static class TestApplication {

	}

}
