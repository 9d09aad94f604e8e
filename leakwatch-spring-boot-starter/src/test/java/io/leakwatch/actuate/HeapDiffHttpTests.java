package io.leakwatch.actuate;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import javax.management.ObjectName;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.leakwatch.heap.DiffQuery;
import io.leakwatch.heap.HeapDumpDiffs;
import io.leakwatch.heap.HistogramDiffs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both kinds of diff over real HTTP against a running app: a class made to grow by a known number of
 * instances tops the diff with that count; refusals are status codes with a message. The growers are
 * 80-byte objects, 8 MB in all, so they outgrow the buffers the web server allocates meanwhile.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1",
				"management.endpoints.web.exposure.include=memwatch,heapdump-diff",
				"management.endpoint.heapdump-diff.access=unrestricted", "spring.jmx.enabled=true",
				"management.endpoints.jmx.exposure.include=memwatch,heapdump-diff",
				"leakwatch.heapdump-diff.max-open=1", "leakwatch.histogram-diff.max-open=2" })
@ExtendWith(OutputCaptureExtension.class)
class HeapDiffHttpTests {

	static final List<Object> retained = new ArrayList<>();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int port;

	@Autowired
	private HeapDumpDiffs heapDumpDiffs;

	@Autowired
	private HistogramDiffs histogramDiffs;

	@AfterEach
	void release() {
		retained.clear();
		// A failed test must not leave diffs open for the next one.
		this.histogramDiffs.list().forEach((diff) -> this.histogramDiffs.end(diff.id(), DiffQuery.of(1, null)));
		this.heapDumpDiffs.list().forEach((diff) -> {
			if ("open".equals(diff.state())) {
				this.heapDumpDiffs.abandon(diff.id());
			}
			else {
				this.heapDumpDiffs.discardKept(diff.id());
			}
		});
	}

	@Test
	void histogramDiffOverHttp() throws Exception {
		HttpResponse<String> started = send("POST", "/actuator/memwatch");
		assertThat(started.statusCode()).isEqualTo(200);
		String id = JsonPath.read(started.body(), "$.id");
		assertThat(JsonPath.parse(send("GET", "/actuator/memwatch").body()).read("$.diffs[*].id", List.class))
			.containsExactly(id);
		for (int i = 0; i < 100_321; i++) {
			retained.add(new HistogramGrower(i));
		}
		HttpResponse<String> ended = send("DELETE", "/actuator/memwatch/" + id + "?top=3");
		assertThat(ended.statusCode()).isEqualTo(200);
		DocumentContext diff = JsonPath.parse(ended.body());
		assertThat(diff.read("$.source", String.class)).isEqualTo("class-histogram");
		assertThat(diff.read("$.change.details[0].what", String.class)).isEqualTo(HistogramGrower.class.getName());
		assertThat(diff.read("$.change.details[0]['+']", Long.class)).isEqualTo(100_321);
		assertThat(diff.read("$.change.details[0]['-']", Long.class)).isZero();
		assertThat(diff.read("$.change.details.length()", Integer.class)).isEqualTo(3);
		assertThat(diff.read("$.before.nodes", Long.class)).isPositive();
		assertThat(diff.read("$.after.size", String.class)).endsWith("mb");
		assertThat(send("DELETE", "/actuator/memwatch/" + id).statusCode()).isEqualTo(404);
	}

	@Test
	void heapDumpDiffOverHttpWithDownloads() throws Exception {
		HttpResponse<String> started = send("POST", "/actuator/heapdump-diff");
		assertThat(started.statusCode()).isEqualTo(200);
		String id = JsonPath.read(started.body(), "$.id");
		assertThat(JsonPath.parse(send("GET", "/actuator/heapdump-diff").body()).read("$.diffs[*].id", List.class))
			.containsExactly(id);
		HttpResponse<InputStream> before = this.client.send(request("GET", "/actuator/heapdump-diff/" + id + "/before"),
				HttpResponse.BodyHandlers.ofInputStream());
		assertThat(before.statusCode()).isEqualTo(200);
		try (InputStream body = before.body()) {
			assertThat(new String(body.readNBytes(18))).isEqualTo("JAVA PROFILE 1.0.2");
		}
		assertThat(send("POST", "/actuator/heapdump-diff").statusCode()).as("max-open is 1").isEqualTo(429);
		for (int i = 0; i < 100_432; i++) {
			retained.add(new DumpGrower(i));
		}
		HttpResponse<String> ended = send("DELETE", "/actuator/heapdump-diff/" + id + "?top=5&keepFiles=true");
		assertThat(ended.statusCode()).isEqualTo(200);
		DocumentContext diff = JsonPath.parse(ended.body());
		assertThat(diff.read("$.source", String.class)).isEqualTo("heap-dump");
		assertThat(diff.read("$.sizesEstimated", Boolean.class)).isTrue();
		assertThat(diff.read("$.change.details[0].what", String.class)).startsWith(DumpGrower.class.getName());
		assertThat(diff.read("$.change.details[0]['+']", Long.class)).isEqualTo(100_432);
		HttpResponse<String> after = send("GET", "/actuator/heapdump-diff/" + id + "/after");
		assertThat(after.statusCode()).isEqualTo(200);
		assertThat(after.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/octet-stream"));
		// A second DELETE discards the kept dumps.
		assertThat(send("DELETE", "/actuator/heapdump-diff/" + id).statusCode()).isEqualTo(200);
		assertThat(send("GET", "/actuator/heapdump-diff/" + id + "/after").statusCode()).isEqualTo(404);
		assertThat(send("DELETE", "/actuator/heapdump-diff/" + id).statusCode()).isEqualTo(404);
		try (var files = Files.list(this.heapDumpDiffs.directory())) {
			assertThat(files).isEmpty();
		}
	}

	@Test
	void endingTheSameDiffTwiceAtOnceSucceedsOnce() throws Exception {
		String id = JsonPath.read(send("POST", "/actuator/memwatch").body(), "$.id");
		CompletableFuture<HttpResponse<String>> first = this.client.sendAsync(request("DELETE", "/actuator/memwatch/" + id),
				HttpResponse.BodyHandlers.ofString());
		CompletableFuture<HttpResponse<String>> second = this.client.sendAsync(request("DELETE", "/actuator/memwatch/" + id),
				HttpResponse.BodyHandlers.ofString());
		assertThat(List.of(first.get().statusCode(), second.get().statusCode())).containsExactlyInAnyOrder(200, 404);
	}

	@Test
	void refusalsAreStatusCodesWithAMessage() throws Exception {
		HttpResponse<String> unknown = send("DELETE", "/actuator/memwatch/nosuchdiff");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(JsonPath.<String>read(unknown.body(), "$.message")).contains("No open histogram diff with id 'nosuchdiff'");
		assertThat(send("DELETE", "/actuator/heapdump-diff/nosuchdiff").statusCode()).isEqualTo(404);
		assertThat(send("GET", "/actuator/heapdump-diff/nosuchdiff/before").body()).contains("No open heap-dump diff");
		String id = JsonPath.read(send("POST", "/actuator/memwatch").body(), "$.id");
		HttpResponse<String> badTop = send("DELETE", "/actuator/memwatch/" + id + "?top=0");
		assertThat(badTop.statusCode()).isEqualTo(400);
		assertThat(JsonPath.<String>read(badTop.body(), "$.message")).contains("top must be between 1 and 10000");
		assertThat(send("DELETE", "/actuator/memwatch/" + id + "?minSizeBytes=-5").statusCode()).isEqualTo(400);
		assertThat(send("DELETE", "/actuator/memwatch/" + id + "?top=many").statusCode()).isEqualTo(400);
		assertThat(send("GET", "/actuator/heapdump-diff/" + id + "/sideways").statusCode()).isIn(400, 404);
		// The refused requests did not end the diff.
		assertThat(send("DELETE", "/actuator/memwatch/" + id).statusCode()).isEqualTo(200);
		String second = JsonPath.read(send("POST", "/actuator/memwatch").body(), "$.id");
		String third = JsonPath.read(send("POST", "/actuator/memwatch").body(), "$.id");
		HttpResponse<String> tooMany = send("POST", "/actuator/memwatch");
		assertThat(tooMany.statusCode()).isEqualTo(429);
		assertThat(JsonPath.<String>read(tooMany.body(), "$.message")).contains("Too many open histogram diffs: 2 of 2");
		send("DELETE", "/actuator/memwatch/" + second);
		send("DELETE", "/actuator/memwatch/" + third);
	}

	@Test
	@SuppressWarnings("unchecked")
	void histogramDiffsOverJmx() throws Exception {
		ObjectName name = new ObjectName("org.springframework.boot:type=Endpoint,name=Memwatch");
		var server = ManagementFactory.getPlatformMBeanServer();
		Map<String, Object> started = (Map<String, Object>) server.invoke(name, "startDiff", new Object[0], new String[0]);
		for (int i = 0; i < 100_210; i++) {
			retained.add(new JmxGrower(i));
		}
		Map<String, Object> diff = (Map<String, Object>) server.invoke(name, "endDiff",
				new Object[] { started.get("id"), 1, null },
				new String[] { String.class.getName(), Integer.class.getName(), Long.class.getName() });
		List<Map<String, Object>> details = (List<Map<String, Object>>) ((Map<String, Object>) diff.get("change"))
			.get("details");
		assertThat(details).singleElement().satisfies((row) -> {
			assertThat(row.get("what")).isEqualTo(JmxGrower.class.getName());
			assertThat(((Number) row.get("+")).longValue()).isEqualTo(100_210);
		});
		assertThat(server.isRegistered(new ObjectName("org.springframework.boot:type=Endpoint,name=HeapdumpDiff")))
			.isTrue();
	}

	@Test
	void theEndpointIdDoesNotMakeSpringBootWarn(CapturedOutput output) {
		EndpointId.of(HeapDumpDiffEndpoint.ID);
		assertThat(output).doesNotContain("contains invalid characters");
	}

	private HttpResponse<String> send(String method, String path) throws Exception {
		return this.client.send(request(method, path), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest request(String method, String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(60))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build();
	}

	record HistogramGrower(long a, long b, long c, long d, long e, long f, long g, long h) {

		HistogramGrower(long value) {
			this(value, value, value, value, value, value, value, value);
		}

	}

	record DumpGrower(long a, long b, long c, long d, long e, long f, long g, long h) {

		DumpGrower(long value) {
			this(value, value, value, value, value, value, value, value);
		}

	}

	record JmxGrower(long a, long b, long c, long d, long e, long f, long g, long h) {

		JmxGrower(long value) {
			this(value, value, value, value, value, value, value, value);
		}

	}

	@SpringBootApplication
	static class TestApplication {

	}

}
