package io.leakwatch.heap.hprof;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.leakwatch.heap.ClassHistogram;
import io.leakwatch.heap.ClassNames;
import io.leakwatch.it.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * Parses dumps that real JVMs (G1 with compressed oops, Parallel without) write of a heap with known
 * objects, and holds the counts and sizes against the class histogram the same JVM printed right after
 * its dump: the only ground truth for sizes there is.
 */
class HprofHistogramRealDumpTests {

	private static final int THINGS = 12_345;

	private static final int SUB_THINGS = 2_345;

	private static final int ARRAYS = 777;

	private static final Pattern HISTOGRAM_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");

	@TempDir
	Path dir;

	@Test
	void g1HeapMatchesTheJvmsHistogram() throws Exception {
		assertMatchesHistogram(List.of("-XX:+UseG1GC"));
	}

	@Test
	void parallelHeapWithoutCompressedOopsMatchesTheJvmsHistogram() throws Exception {
		assertMatchesHistogram(List.of("-XX:+UseParallelGC", "-XX:-UseCompressedOops"));
	}

	@Test
	void compactHeadersMatchTheJvmsHistogram() throws Exception {
		List<String> options = List.of("-XX:+UseG1GC", "-XX:+UnlockExperimentalVMOptions", "-XX:+UseCompactObjectHeaders");
		org.junit.jupiter.api.Assumptions.assumeTrue(ChildJvm.supports(options), "this JDK has no compact headers");
		assertMatchesHistogram(options);
	}

	@Test
	void truncatedRealDumpFailsClearlyAtEveryCut() throws Exception {
		Dump dump = dump(List.of("-XX:+UseSerialGC"));
		Path copy = this.dir.resolve("cut.hprof");
		Files.copy(dump.file, copy, StandardCopyOption.REPLACE_EXISTING);
		long size = Files.size(copy);
		int cuts = 0;
		try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.WRITE)) {
			// Shrinking one copy is cheap; the cuts fall in the header, the string and class records, and
			// all through the heap dump segments.
			// Ten cuts through the segments, then every 331 bytes of the first 8 KB (the header, the strings
			// and the first records); the synthetic file in HprofHistogramTests is cut at every byte.
			for (long cut = size - 1; cut >= 0; cut = (cut > 8192) ? Math.max(cut - size / 10, 8192) : cut - 331) {
				channel.truncate(cut);
				long at = cut;
				HprofFormatException sequential = catchThrowableOfType(() -> HprofHistogram.read(copy, dump.layout),
						HprofFormatException.class);
				assertThat(sequential).as("cut at %d of %d", at, size).isNotNull();
				// Segments on two threads: the same error, found at the same offset.
				assertThatExceptionOfType(HprofFormatException.class).as("two threads, cut at %d of %d", at, size)
					.isThrownBy(() -> HprofHistogram.read(copy, dump.layout, 0))
					.withMessage(sequential.getMessage());
				cuts++;
			}
		}
		assertThat(cuts).isGreaterThan(30);
	}

	private void assertMatchesHistogram(List<String> options) throws Exception {
		Dump dump = dump(options);
		long started = System.nanoTime();
		ClassHistogram parsed = HprofHistogram.read(dump.file, dump.layout);
		long millis = (System.nanoTime() - started) / 1_000_000;
		assertThat(HprofHistogram.read(dump.file, dump.layout, 0).rows()).as("segments on two threads")
			.isEqualTo(parsed.rows());
		Map<String, List<long[]>> jvm = dump.histogram;
		String thing = ClassNames.readable(HprofDumpProgram.Thing.class.getName());
		String subThing = ClassNames.readable(HprofDumpProgram.SubThing.class.getName());
		ClassHistogram.Row things = row(parsed, thing);
		assertThat(things.instances()).isEqualTo(THINGS);
		assertThat(things.loader()).isEqualTo("jdk.internal.loader.ClassLoaders$AppClassLoader");
		assertThat(things.bytes()).isEqualTo(jvm.get(thing).get(0)[1]);
		ClassHistogram.Row subThings = row(parsed, subThing);
		assertThat(subThings.instances()).isEqualTo(SUB_THINGS);
		assertThat(subThings.bytes()).isEqualTo(jvm.get(subThing).get(0)[1]);
		ClassHistogram.Row arrays = row(parsed, thing + "[]");
		assertThat(arrays.instances()).isEqualTo(ARRAYS);
		assertThat(arrays.bytes()).isEqualTo(jvm.get(thing + "[]").get(0)[1]);
		List<ClassHistogram.Row> isolated = parsed.rows().stream()
			.filter((row) -> row.className().equals(IsolatedThing.class.getName()) && row.loader().startsWith("java.net.URLClassLoader"))
			.toList();
		assertThat(isolated).extracting(ClassHistogram.Row::loader)
			.containsExactlyInAnyOrder("java.net.URLClassLoader#1", "java.net.URLClassLoader#2");
		assertThat(isolated).extracting(ClassHistogram.Row::instances).containsExactlyInAnyOrder(100L, 200L);
		// Everything else: the JVM ran a few allocations between dump and histogram, so compare classes
		// whose counts agree, and report the rest.
		Map<String, long[]> ours = new HashMap<>();
		for (ClassHistogram.Row row : parsed.rows()) {
			ours.merge(row.className(), new long[] { row.instances(), row.bytes() },
					(a, b) -> new long[] { a[0] + b[0], a[1] + b[1] });
		}
		int sameCount = 0;
		List<String> sizeMismatch = new ArrayList<>();
		for (Map.Entry<String, List<long[]>> e : jvm.entrySet()) {
			long[] theirs = e.getValue().stream().reduce(new long[2], (a, b) -> new long[] { a[0] + b[0], a[1] + b[1] });
			long[] mine = ours.get(e.getKey());
			if (mine != null && mine[0] == theirs[0]) {
				sameCount++;
				if (mine[1] != theirs[1]) {
					sizeMismatch.add(e.getKey() + " ours " + mine[1] + " jvm " + theirs[1] + " (" + mine[0] + ")");
				}
			}
		}
		System.out.printf("%s: %d ms, %d rows, %d classes with equal counts, size mismatches %s%n", options, millis,
				parsed.rows().size(), sameCount, sizeMismatch);
		long jvmInstances = jvm.values().stream().flatMap(List::stream).mapToLong((r) -> r[0]).sum();
		long jvmBytes = jvm.values().stream().flatMap(List::stream).mapToLong((r) -> r[1]).sum();
		System.out.printf("totals ours %d / %d, jvm %d / %d%n", parsed.totalInstances(), parsed.totalBytes(), jvmInstances, jvmBytes);
		// The test classes above are exact. Elsewhere: a few JDK classes have fields the dump omits
		// (README, "Reading heap dumps"), and the JVM allocates between the dump and its histogram.
		assertThat(sizeMismatch).hasSizeLessThanOrEqualTo(10);
		assertThat(sameCount).isGreaterThan(500);
		assertThat((double) parsed.totalInstances()).isCloseTo(jvmInstances, within(jvmInstances * 0.02));
		assertThat((double) parsed.totalBytes()).isCloseTo(jvmBytes, within(jvmBytes * 0.02));
	}

	private static ClassHistogram.Row row(ClassHistogram histogram, String className) {
		List<ClassHistogram.Row> rows = histogram.rows().stream().filter((r) -> r.className().equals(className)).toList();
		assertThat(rows).as(className).hasSize(1);
		return rows.get(0);
	}

	private Dump dump(List<String> options) throws Exception {
		Path file = this.dir.resolve("heap-" + options.hashCode() + ".hprof");
		List<String> jvmOptions = new ArrayList<>(options);
		jvmOptions.add("-Xmx64m");
		jvmOptions.add("-Xshare:auto");
		List<String> lines;
		try (ChildJvm child = ChildJvm.start(jvmOptions, HprofDumpProgram.class, file.toString(),
				String.valueOf(THINGS), String.valueOf(SUB_THINGS), String.valueOf(ARRAYS))) {
			lines = child.awaitExit(60);
		}
		assertThat(lines).as(String.join("\n", lines)).contains("DONE");
		String[] layout = lines.stream().filter((l) -> l.startsWith("LAYOUT ")).findFirst().orElseThrow().split(" ");
		ObjectLayout objectLayout = new ObjectLayout(Boolean.parseBoolean(layout[1]), Boolean.parseBoolean(layout[2]),
				Boolean.parseBoolean(layout[3]), Integer.parseInt(layout[4]));
		Map<String, List<long[]>> histogram = new HashMap<>();
		for (String line : lines) {
			Matcher m = HISTOGRAM_LINE.matcher(line);
			if (m.matches()) {
				histogram.computeIfAbsent(ClassNames.readable(m.group(3)), (k) -> new ArrayList<>())
					.add(new long[] { Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) });
			}
		}
		return new Dump(file, objectLayout, histogram);
	}

	private record Dump(Path file, ObjectLayout layout, Map<String, List<long[]>> histogram) {
	}

}
