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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
			// Under G1 on JDK 25 a base comes every 3 s (30 MB of this leak, 11 % of the heap): reported at
			// 50-52 % of the heap, or one collection later, at 61-62 %, when the leak's second collection
			// falls just before the warm-up's end (2 s after ready).
			assertThat(memwatch.read("$.recentLeaks[0].endBase", Long.class)).as(memwatch.jsonString())
				.isLessThan(memwatch.read("$.stats.heapMax", Long.class) * 7 / 10);
			String prometheus = get(port, "/actuator/prometheus").body();
			assertThat(prometheus).contains("leakwatch_leak_suspected{application=\"leakwatch-sample\"} 1.0");
			// The sample diffs the heap before publishing the event (leakwatch.leak-diff.mode=histogram), and
			// logs the diff's top row after the event's line.
			long published = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (!Files.readString(log).contains("Grew most over the leak diff: ") && System.nanoTime() < published) {
				Thread.sleep(250);
			}
			assertThat(Files.readString(log)).contains("WARN", "Possible memory leak: heap growth over ",
					"Leak diff (class-histogram, ", "LeakDetectedEvent: the live heap grew ",
					"Grew most over the leak diff: byte[] +");
		}
		finally {
			app.destroyForcibly().waitFor();
		}
	}

	@Test
	void bothKindsOfDiffNameTheLeakingClassItsAllocationSiteAndItsChain() throws Exception {
		int port = freePort();
		Path log = this.logs.resolve("suspects.log");
		Path dumps = this.logs.resolve("dumps");
		Process app = start(port, log, "--sample.leak.enabled=true", "--leakwatch.heapdump-diff.directory=" + dumps);
		try {
			awaitHealthy(port, app, log);
			// Both at once, while the leak (15 s) goes on.
			String histogram = start(port, "/actuator/memwatch");
			String dump = start(port, "/actuator/heapdump-diff");
			Thread.sleep(3_000);
			assertSuspects(end(port, "/actuator/memwatch/" + histogram), log);
			assertSuspects(end(port, "/actuator/heapdump-diff/" + dump), log);
			// The leak event's own diff names it in one line.
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (!Files.readString(log).contains("Leak suspect: ") && System.nanoTime() < deadline) {
				Thread.sleep(500);
			}
			assertThat(Files.readString(log)).contains("Leak suspect: io.leakwatch.sample.LeakyThing ")
				.contains("allocated at LeakyService.replaceThing(LeakyService.java:" + allocationLine() + ")");
			// A diff left open when the application stops: its dump is owner-only while it exists, and the
			// graceful shutdown (SIGTERM) deletes it and the directory.
			start(port, "/actuator/heapdump-diff");
			Path directory = dumps.resolve("leakwatch-heapdumps-" + app.pid());
			try (Stream<Path> files = Files.list(directory)) {
				List<Path> open = files.toList();
				assertThat(open).hasSize(1).allSatisfy((file) -> {
					assertThat(file.toString()).endsWith(".hprof");
					assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
				});
			}
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
			app.destroy();
			assertThat(app.waitFor(30, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
			assertThat(directory).as(Files.readString(log)).doesNotExist();
		}
		finally {
			app.destroyForcibly().waitFor();
		}
	}

	private String start(int port, String endpoint) throws Exception {
		HttpResponse<String> started = send(port, "POST", endpoint);
		assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
		return JsonPath.read(started.body(), "$.id");
	}

	private DocumentContext end(int port, String diff) throws Exception {
		HttpResponse<String> ended = send(port, "DELETE", diff + "?top=5");
		assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);
		return JsonPath.parse(ended.body());
	}

	private static void assertSuspects(DocumentContext diff, Path log) throws IOException {
		String context = diff.jsonString() + "\n" + Files.readString(log);
		assertThat(diff.read("$.change.details[0].what", String.class)).as(context).isEqualTo("byte[]");
		assertThat(diff.read("$.suspects.available", Boolean.class)).as(context).isTrue();
		assertThat(diff.read("$.suspects.suspects[0].what", String.class)).as(context)
			.isEqualTo("io.leakwatch.sample.LeakyThing");
		assertThat(diff.read("$.suspects.suspects[0].sites[0].className", String.class)).as(context)
			.isEqualTo("io.leakwatch.sample.LeakyService");
		assertThat(diff.read("$.suspects.suspects[0].sites[0].method", String.class)).isEqualTo("replaceThing");
		assertThat(diff.read("$.suspects.suspects[0].sites[0].file", String.class)).isEqualTo("LeakyService.java");
		assertThat(diff.read("$.suspects.suspects[0].sites[0].line", Integer.class)).isEqualTo(allocationLine());
		List<String> holders = diff.read("$.suspects.suspects[0].chain.links[*].holder");
		List<String> fields = diff.read("$.suspects.suspects[0].chain.links[*].field");
		assertThat(holders).as(context).contains("io.leakwatch.sample.LeakyService", "io.leakwatch.sample.LeakyThing");
		assertThat(fields).as(context).contains("theThing");
		assertThat(diff.read("$.suspects.suspects[0].chain.heldBy", String.class)).contains("LeakyService.theThing");
	}

	/** The line of LeakyService that allocates the leak, read from its source. */
	private static int allocationLine() throws IOException {
		List<String> lines = Files.readAllLines(Path.of("src/main/java/io/leakwatch/sample/LeakyService.java"));
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).contains("new LeakyThing(")) {
				return i + 1;
			}
		}
		throw new AssertionError("LeakyService allocates no LeakyThing");
	}

	private HttpResponse<String> send(int port, String method, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(60))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build();
		return this.client.send(request, HttpResponse.BodyHandlers.ofString());
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

	private Process start(int port, Path log, String... options) throws IOException {
		String jar = System.getProperty("sample.jar", "target/leakwatch-sample.jar");
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar, "--server.port=" + port));
		command.addAll(List.of(options));
		return new ProcessBuilder(command)
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
