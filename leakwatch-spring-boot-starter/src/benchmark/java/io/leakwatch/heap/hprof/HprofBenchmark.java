package io.leakwatch.heap.hprof;


import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.leakwatch.heap.ClassHistogram;
import org.netbeans.lib.profiler.heap.Heap;
import org.netbeans.lib.profiler.heap.HeapFactory;
import org.netbeans.lib.profiler.heap.JavaClass;
import shark.CloseableHeapGraph;
import shark.HeapObject;
import shark.HprofHeapGraph;

/**
 * Times, on one large dump and in one run, a plain sequential read of the file against
 * {@link HprofHistogram} and against the two hprof libraries on Maven Central (NetBeans profiler,
 * Shark), each reducing the dump to instances per class; checks that their counts agree. Only compiled
 * with {@code -Phprof-benchmark}, which is also the only build that sees those libraries: see
 * BENCHMARKS.md for the command. Arguments: {@code file [rounds [liveMegabytes]]}; the dump is generated
 * by {@link BenchmarkHeapGenerator} in a child JVM when the file does not exist.
 */
public final class HprofBenchmark {

	private HprofBenchmark() {
	}

	interface Contender {

		/** Reads the file; returns instances per class name (empty for the plain read) and bytes touched. */
		Map<String, Long> run(Path file) throws Exception;

	}

	public static void main(String[] args) throws Exception {
		Path file = Path.of(args[0]);
		int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 3;
		int liveMegabytes = (args.length > 2) ? Integer.parseInt(args[2]) : 750;
		if (!Files.exists(file)) {
			generate(file, liveMegabytes);
		}
		long size = Files.size(file);
		ObjectLayout layout = ObjectLayout.current();
		Map<String, Contender> contenders = new java.util.LinkedHashMap<>();
		// The fastest plain read measured here: a buffer that fits in L2, so the copy never leaves the
		// cache (8 MB, for comparison, measured several times slower on this machine).
		contenders.put("plain read", (f) -> plainRead(f, 256 << 10));
		contenders.put("plain read, 8 MB buffer", (f) -> plainRead(f, 8 << 20));
		contenders.put("leakwatch HprofHistogram", (f) -> leakwatch(f, layout));
		contenders.put("NetBeans profiler lib", HprofBenchmark::netbeans);
		contenders.put("Shark", HprofBenchmark::shark);
		System.out.printf("file %s, %.1f MB; JDK %s %s; %d cores; max heap %d MB%n", file, size / 1e6,
				System.getProperty("java.vm.vendor"), System.getProperty("java.runtime.version"),
				Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
		// Warm-up: one run each, which also puts the file in the page cache for all four alike.
		Map<String, Map<String, Long>> histograms = new HashMap<>();
		for (Map.Entry<String, Contender> contender : contenders.entrySet()) {
			long start = System.nanoTime();
			histograms.put(contender.getKey(), contender.getValue().run(file));
			System.out.printf("warm-up %-26s %8.0f ms%n", contender.getKey(), (System.nanoTime() - start) / 1e6);
		}
		compare(histograms);
		Map<String, List<Double>> seconds = new HashMap<>();
		Map<String, List<Double>> cpuSeconds = new HashMap<>();
		List<String> names = new ArrayList<>(contenders.keySet());
		for (int round = 0; round < rounds; round++) {
			for (int k = 0; k < names.size(); k++) {
				// Each round starts with a different contender, so none is always first or always last.
				String name = names.get((round + k) % names.size());
				System.gc();
				long cpuStart = processCpuNanos();
				long start = System.nanoTime();
				contenders.get(name).run(file);
				double s = (System.nanoTime() - start) / 1e9;
				double cpu = (processCpuNanos() - cpuStart) / 1e9;
				seconds.computeIfAbsent(name, (key) -> new ArrayList<>()).add(s);
				cpuSeconds.computeIfAbsent(name, (key) -> new ArrayList<>()).add(cpu);
				System.out.printf("round %d %-26s %8.0f ms  %7.0f MB/s  (CPU %8.0f ms)%n", round + 1, name, s * 1000,
						size / 1e6 / s, cpu * 1000);
			}
		}
		System.out.println();
		System.out.println("| reader | median wall time | throughput (MB/s) | median CPU time (all threads) | wall times |");
		System.out.println("|---|---|---|---|---|");
		Map<String, Double> medians = new HashMap<>();
		for (String name : names) {
			List<Double> times = seconds.get(name);
			times.sort(Comparator.naturalOrder());
			double median = times.get(times.size() / 2);
			medians.put(name, median);
			List<Double> cpu = cpuSeconds.get(name);
			cpu.sort(Comparator.naturalOrder());
			System.out.printf("| %s | %.3f s | %.0f | %.3f s | %s |%n", name, median, size / 1e6 / median,
					cpu.get(cpu.size() / 2), times.stream().map((t) -> String.format("%.3f", t)).toList());
		}
		double ours = medians.get("leakwatch HprofHistogram");
		System.out.printf("%nours / plain read throughput: %.0f %%%n", 100 * medians.get("plain read") / ours);
		System.out.printf("ours / plain read (8 MB buffer) throughput: %.0f %%%n",
				100 * medians.get("plain read, 8 MB buffer") / ours);
		System.out.printf("ours / NetBeans throughput: %.1fx%n", medians.get("NetBeans profiler lib") / ours);
		System.out.printf("ours / Shark throughput: %.1fx%n", medians.get("Shark") / ours);
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
			.getOperatingSystemMXBean()).getProcessCpuTime();
	}

	private static void generate(Path file, int liveMegabytes) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder(java, "-Xmx" + (liveMegabytes * 2 + 256) + "m", "-XX:+UseParallelGC", "-cp",
				System.getProperty("java.class.path"), BenchmarkHeapGenerator.class.getName(), file.toString(),
				String.valueOf(liveMegabytes)).inheritIO().start();
		if (process.waitFor() != 0 || !Files.exists(file)) {
			throw new IllegalStateException("heap generator failed");
		}
	}

	/** The fastest plain read here: a large direct buffer, bytes counted and nothing else. */
	private static Map<String, Long> plainRead(Path file, int bufferSize) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocateDirect(bufferSize);
		long total = 0;
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			int n;
			while ((n = channel.read(buffer)) >= 0) {
				total += n;
				buffer.clear();
			}
		}
		if (total != Files.size(file)) {
			throw new IllegalStateException("short read");
		}
		return Map.of();
	}

	private static Map<String, Long> leakwatch(Path file, ObjectLayout layout) throws IOException {
		ClassHistogram histogram = HprofHistogram.read(file, layout);
		Map<String, Long> counts = new HashMap<>();
		for (ClassHistogram.Row row : histogram.rows()) {
			counts.merge(row.className(), row.instances(), Long::sum);
		}
		return counts;
	}

	private static Map<String, Long> netbeans(Path file) throws IOException {
		// NetBeans reuses an index kept beside the dump when there is one: never here.
		deleteRecursively(Path.of(file + ".nbcache"));
		Heap heap = HeapFactory.createHeap(file.toFile());
		Map<String, Long> counts = new HashMap<>();
		long bytes = 0;
		for (Object o : heap.getAllClasses()) {
			JavaClass javaClass = (JavaClass) o;
			int instances = javaClass.getInstancesCount();
			if (instances > 0) {
				counts.merge(javaClass.getName(), (long) instances, Long::sum);
				bytes += javaClass.getAllInstancesSize();
			}
		}
		counts.put("(bytes)", bytes);
		return counts;
	}

	private static Map<String, Long> shark(Path file) throws IOException {
		Map<Long, long[]> byClass = new HashMap<>();
		Map<String, Long> counts = new HashMap<>();
		try (CloseableHeapGraph graph = HprofHeapGraph.Companion.openHeapGraph(file.toFile(), null,
				shark.HprofIndex.Companion.defaultIndexedGcRootTags())) {
			long bytes = 0;
			for (Iterator<HeapObject.HeapInstance> it = graph.getInstances().iterator(); it.hasNext();) {
				HeapObject.HeapInstance instance = it.next();
				byClass.computeIfAbsent(instance.getInstanceClassId(), (k) -> new long[1])[0]++;
			}
			for (Iterator<HeapObject.HeapObjectArray> it = graph.getObjectArrays().iterator(); it.hasNext();) {
				HeapObject.HeapObjectArray array = it.next();
				byClass.computeIfAbsent(array.getArrayClassId(), (k) -> new long[1])[0]++;
			}
			for (Iterator<HeapObject.HeapPrimitiveArray> it = graph.getPrimitiveArrays().iterator(); it.hasNext();) {
				HeapObject.HeapPrimitiveArray array = it.next();
				counts.merge(array.getPrimitiveType().name().toLowerCase() + "[]", 1L, Long::sum);
			}
			for (Map.Entry<Long, long[]> e : byClass.entrySet()) {
				HeapObject.HeapClass heapClass = graph.findObjectById(e.getKey()).getAsClass();
				counts.merge(heapClass.getName(), e.getValue()[0], Long::sum);
			}
		}
		return counts;
	}

	private static void compare(Map<String, Map<String, Long>> histograms) {
		Map<String, Long> ours = histograms.get("leakwatch HprofHistogram");
		for (String library : List.of("NetBeans profiler lib", "Shark")) {
			Map<String, Long> theirs = histograms.get(library);
			TreeSet<String> names = new TreeSet<>(ours.keySet());
			names.addAll(theirs.keySet());
			names.remove("(bytes)");
			List<String> mismatches = new ArrayList<>();
			long agreeing = 0;
			for (String name : names) {
				long a = ours.getOrDefault(name, 0L);
				long b = theirs.getOrDefault(name, 0L);
				if (a == b) {
					agreeing += a;
				}
				else {
					mismatches.add(name + ": ours " + a + ", " + library + " " + b);
				}
			}
			System.out.printf("counts vs %s: %d classes, %d instances agree; mismatches: %s%n", library, names.size(),
					agreeing, mismatches);
		}
	}

	private static void deleteRecursively(Path path) throws IOException {
		if (!Files.exists(path)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(path)) {
			for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(p);
			}
		}
	}


}
