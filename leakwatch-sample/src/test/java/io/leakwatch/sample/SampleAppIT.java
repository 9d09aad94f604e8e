package io.leakwatch.sample;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged sample as a user runs it: its own JVM with {@code -Xmx256m}, real HTTP on loopback. The
 * leaking app must log the leak and report it on its endpoints; the control must not.
 */
class SampleAppIT {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@TempDir
	Path logs;

	@Test
	void leakingSampleLogsTheLeakAndReportsItOverHttp() throws Exception {
		int port = freePort();
		Path log = this.logs.resolve("leak.log");
		Process app = start(port, log, "--sample.leak.enabled=true");
		try {
			awaitHealthy(port, app, log);
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			DocumentContext memwatch = null;
			while (System.nanoTime() < deadline) {
				memwatch = JsonPath.parse(get(port, "/actuator/memwatch").body());
				if (memwatch.read("$.leaks", Long.class) > 0) {
					break;
				}
				Thread.sleep(500);
			}
			assertThat(memwatch.read("$.leaks", Long.class)).as(Files.readString(log)).isPositive();
			assertThat(memwatch.read("$.suspected", Boolean.class)).isTrue();
			assertThat(memwatch.read("$.recentLeaks[0].reason", String.class)).startsWith("heap growth over ");
			assertThat(memwatch.read("$.recentLeaks[0].endBase", Long.class))
				.isLessThan(memwatch.read("$.stats.heapMax", Long.class) * 6 / 10);
			String prometheus = get(port, "/actuator/prometheus").body();
			assertThat(prometheus).contains("leakwatch_leak_suspected{application=\"leakwatch-sample\"} 1.0");
			assertThat(Files.readString(log)).contains("WARN", "Possible memory leak: heap growth over ",
					"LeakDetectedEvent: the live heap grew ");
		}
		finally {
			app.destroyForcibly().waitFor();
		}
	}

	@Test
	void controlSampleReportsNoLeak() throws Exception {
		int port = freePort();
		Path log = this.logs.resolve("control.log");
		Process app = start(port, log, "--sample.leak.enabled=false");
		try {
			awaitHealthy(port, app, log);
			Thread.sleep(30_000);
			DocumentContext memwatch = JsonPath.parse(get(port, "/actuator/memwatch").body());
			assertThat(memwatch.read("$.leaks", Long.class)).as(Files.readString(log)).isZero();
			assertThat(memwatch.read("$.suspected", Boolean.class)).isFalse();
			assertThat(memwatch.read("$.stats.baseSamples", Long.class)).isPositive();
			assertThat(Files.readString(log)).doesNotContain("Possible memory leak");
		}
		finally {
			app.destroyForcibly().waitFor();
		}
	}

	private Process start(int port, Path log, String leakOption) throws IOException {
		String jar = System.getProperty("sample.jar", "target/leakwatch-sample.jar");
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		return new ProcessBuilder(List.of(java, "-Xmx256m", "-jar", jar, "--server.port=" + port, leakOption))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
	}

	private void awaitHealthy(int port, Process app, Path log) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < deadline) {
			assertThat(app.isAlive()).as("the sample exited: %s", Files.readString(log)).isTrue();
			try {
				if (get(port, "/actuator/health").statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			Thread.sleep(250);
		}
		throw new AssertionError("The sample did not become healthy: " + Files.readString(log));
	}

	private HttpResponse<String> get(int port, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(10))
			.build();
		return this.client.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
