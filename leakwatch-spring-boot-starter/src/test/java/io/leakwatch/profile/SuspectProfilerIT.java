package io.leakwatch.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.leakwatch.it.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The suspect profiler on two real leaks and without JFR, each in a child JVM ({@code -Xmx128m}, a few
 * seconds) running {@link SuspectLeakProgram} on the JDK that runs the test: CI runs it on JDK 17 and on
 * JDK 25. The expected allocation lines are read from the program's source, where a comment marks them.
 */
class SuspectProfilerIT {

	private static final String PROGRAM_SOURCE = "src/test/java/io/leakwatch/profile/SuspectLeakProgram.java";

	private static final String CHAIN_LINK = SuspectLeakProgram.ChainLink.class.getName();

	private static final String LISTENER = SuspectLeakProgram.Listener.class.getName();

	private static final String PROGRAM = SuspectLeakProgram.class.getName();

	@TempDir
	Path tmp;

	@Test
	void chainLeakIsNamedWithItsAllocationSiteAndHoldingField() throws Exception {
		List<String> lines = run(List.of("-Xmx128m", "-Djava.io.tmpdir=" + this.tmp), "chain", "2000");
		int line = markedLine("allocation site: chain");
		for (String label : List.of("first", "second")) {
			assertThat(field(report(lines, label), "unavailable")).as(label).isEqualTo("null");
			Map<String, String> link = suspect(lines, label, CHAIN_LINK);
			assertThat(link.get("evidence")).as("%s in %s", label, lines).isNotEqualTo("NO_SAMPLE");
			assertThat(link.get("site")).as(label).isEqualTo(PROGRAM + "|grow|SuspectLeakProgram.java|" + line);
			// Small links are rarely sampled themselves: the payloads they hold stand in for them.
			boolean held = link.get("evidence").equals("HELD_SAMPLES");
			assertThat(link.get("links")).as(label)
				.startsWith(PROGRAM + "#head#-1#0," + CHAIN_LINK + "#previous#-1#0,")
				.endsWith(CHAIN_LINK + (held ? "#payload#-1#0," : "#previous#-1#0,"));
			assertThat(link.get("root")).as(label).isNotEqualTo("null");
			Map<String, String> payload = suspect(lines, label, "byte[]");
			assertThat(payload.get("evidence")).as(label).isEqualTo("OWN_SAMPLES");
			assertThat(payload.get("site")).as(label).isEqualTo(link.get("site"));
			assertThat(Double.parseDouble(payload.get("share"))).as(label).isGreaterThan(0.5);
			assertThat(suspect(lines, label, "java.lang.Thread").get("evidence")).as(label).isEqualTo("NO_SAMPLE");
			assertThat(oneLine(lines, label, CHAIN_LINK)).as(label)
				.startsWith(CHAIN_LINK + (held ? " holds byte[]" : "") + " allocated at SuspectLeakProgram.grow("
						+ "SuspectLeakProgram.java:" + line + "), held by SuspectLeakProgram.head → "
						+ "(SuspectLeakProgram$ChainLink.previous) × ");
		}
		// Asked again while sampling went on, the objects have aged and more of the chain is held.
		assertThat(Long.parseLong(suspect(lines, "second", "byte[]").get("maxAgeMs")))
			.isGreaterThan(Long.parseLong(suspect(lines, "first", "byte[]").get("maxAgeMs")));
		assertThat(report(lines, "closed")).endsWith("unavailable=the suspect profiler is closed");
		assertThat(suspect(lines, "closed", CHAIN_LINK).get("evidence")).isEqualTo("NO_SAMPLE");
		assertThat(lines).contains("DONE");
		assertNoFileLeftIn(this.tmp);
	}

	@Test
	void listenerLeakIsNamedWithItsAllocationSiteAndTheListsArray() throws Exception {
		List<String> lines = run(List.of("-Xmx128m", "-Djava.io.tmpdir=" + this.tmp), "listeners", "2000");
		int line = markedLine("allocation site: listeners");
		for (String label : List.of("first", "second")) {
			Map<String, String> listener = suspect(lines, label, LISTENER);
			assertThat(listener.get("evidence")).as("%s in %s", label, lines).isNotEqualTo("NO_SAMPLE");
			assertThat(listener.get("site")).as(label)
				.isEqualTo(PROGRAM + "|register|SuspectLeakProgram.java|" + line);
			boolean held = listener.get("evidence").equals("HELD_SAMPLES");
			String throughList = PROGRAM.replace("$", "\\$") + "#LISTENERS#-1#0,java\\.util\\.ArrayList#elementData#-1#0,"
					+ "java\\.lang\\.Object\\[\\]#null#\\d+#0,";
			assertThat(listener.get("links")).as(label)
				.matches(throughList + (held ? LISTENER.replace("$", "\\$") + "#buffer#-1#0," : ""));
			assertThat(oneLine(lines, label, LISTENER)).as(label)
				.startsWith(LISTENER + (held ? " holds byte[]" : "") + " allocated at SuspectLeakProgram.register("
						+ "SuspectLeakProgram.java:" + line + "), held by SuspectLeakProgram.LISTENERS → "
						+ "ArrayList.elementData[")
				.contains(held ? "] → SuspectLeakProgram$Listener.buffer → byte[] (" : "] → SuspectLeakProgram$Listener (");
		}
		assertNoFileLeftIn(this.tmp);
	}

	@Test
	void withJfrDisabledTheReportSaysWhy() throws Exception {
		List<String> options = List.of("-Xmx64m", "-XX:-FlightRecorder");
		assumeTrue(ChildJvm.supports(options), "this JDK no longer accepts -XX:-FlightRecorder");
		assertReportsWhy(run(options, "chain", "200"), "disabled");
	}

	@Test
	void withoutTheJfrModuleTheReportSaysWhy() throws Exception {
		assertReportsWhy(run(List.of("-Xmx64m", "--limit-modules", "java.base"), "chain", "200"), "jdk.jfr module");
	}

	private static void assertReportsWhy(List<String> lines, String why) {
		assertThat(lines).as("%s", lines).anyMatch((line) -> line.startsWith("AVAILABLE false ") && line.contains(why));
		for (String label : List.of("first", "second", "closed")) {
			assertThat(report(lines, label)).as(label).contains(why).contains("samplesRead=0");
			assertThat(suspect(lines, label, CHAIN_LINK).get("evidence")).isEqualTo("NO_SAMPLE");
			assertThat(oneLine(lines, label, CHAIN_LINK)).contains(": no sample (").contains(why);
		}
		assertThat(lines).contains("DONE");
	}

	private static void assertNoFileLeftIn(Path dir) throws IOException {
		try (Stream<Path> files = Files.list(dir)) {
			assertThat(files.map(Path::getFileName).map(Path::toString))
				.noneMatch((name) -> name.startsWith("leakwatch-suspects-"));
		}
	}

	private static int markedLine(String marker) throws IOException {
		List<String> source = Files.readAllLines(Path.of(PROGRAM_SOURCE));
		for (int i = 0; i < source.size(); i++) {
			if (source.get(i).contains("// " + marker)) {
				return i + 1;
			}
		}
		throw new IllegalStateException("no line marked '" + marker + "' in " + PROGRAM_SOURCE);
	}

	private static String report(List<String> lines, String label) {
		return lines.stream()
			.filter((line) -> line.startsWith("REPORT " + label + " "))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + label + " report in " + lines));
	}

	private static Map<String, String> suspect(List<String> lines, String label, String className) {
		String prefix = "SUSPECT " + label + " " + className + " ";
		String line = lines.stream()
			.filter((candidate) -> candidate.startsWith(prefix))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + label + " suspect " + className + " in " + lines));
		Map<String, String> fields = new HashMap<>();
		for (String part : line.substring(prefix.length()).split(" ")) {
			int equals = part.indexOf('=');
			fields.put(part.substring(0, equals), part.substring(equals + 1));
		}
		return fields;
	}

	private static String oneLine(List<String> lines, String label, String className) {
		String prefix = "ONELINE " + label + " " + className;
		return lines.stream()
			.filter((line) -> line.startsWith(prefix))
			.map((line) -> line.substring(("ONELINE " + label + " ").length()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + label + " line for " + className + " in " + lines));
	}

	private static String field(String line, String name) {
		for (String part : line.split(" ")) {
			if (part.startsWith(name + "=")) {
				return part.substring(name.length() + 1);
			}
		}
		throw new AssertionError(name + " not in " + line);
	}

	private static List<String> run(List<String> jvmOptions, String... args) throws Exception {
		List<String> output = ChildJvm.start(jvmOptions, SuspectLeakProgram.class, args).awaitExit(60);
		assertThat(output).as("child exited within 60 s: %s", output)
			.noneMatch((line) -> line.startsWith("TIMEOUT after"));
		return output;
	}

}
