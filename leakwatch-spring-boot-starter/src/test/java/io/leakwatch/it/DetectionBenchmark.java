package io.leakwatch.it;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Measures how soon the seed's leak is reported under each collector of the running JDK, with the
 * defaults (passive) and with {@code probe-interval=1s}: one child JVM at a time, {@code -Xmx256m},
 * each run ended by its first event; a run that reaches {@code OutOfMemoryError} first counts as a
 * miss. Then the control under every collector at once: false alarms and the detector thread's CPU
 * time per collection. Prints Markdown rows for BENCHMARKS.md. Not part of the
 * test run: see BENCHMARKS.md for the command. Arguments: {@code [runs [controlSeconds]]}.
 */
public final class DetectionBenchmark {

	private DetectionBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int runs = (args.length > 0) ? Integer.parseInt(args[0]) : 3;
		int controlSeconds = (args.length > 1) ? Integer.parseInt(args[1]) : 120;
		String jdk = System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version");
		System.out.println("JDK: " + jdk + ", runs per row: " + runs);
		System.out.println("| JDK | collector | mode | detected | seconds to event (median) | heap used at event "
				+ "(median, min-max) |");
		System.out.println("|---|---|---|---|---|---|");
		for (Map.Entry<String, List<String>> collector : Collectors.onThisJdk().entrySet()) {
			boolean probeable = !collector.getKey().equals("Serial") && !collector.getKey().equals("Parallel");
			for (String probe : probeable ? List.of("0", "1000") : List.of("0")) {
				List<Double> seconds = new ArrayList<>();
				List<Double> heap = new ArrayList<>();
				for (int run = 0; run < runs; run++) {
					try (ChildJvm child = ChildJvm.start(Collectors.options(collector.getValue(), "-Xmx256m"),
							SeedLeakProgram.class, "leak", "45", probe, "exit-on-leak")) {
						for (String line : child.awaitExit(120)) {
							if (line.equals("OOM")) {
								// An event after OutOfMemoryError is a miss.
								break;
							}
							if (line.startsWith("LEAK ")) {
								seconds.add(SeedLeakIT.field(line, "elapsedMs") / 1000.0);
								heap.add(SeedLeakIT.field(line, "heapUsedPercent"));
								break;
							}
						}
					}
				}
				System.out.printf("| %d | %s | %s | %d/%d | %s | %s |%n", Runtime.version().feature(),
						collector.getKey(), "0".equals(probe) ? "passive" : "probe-interval=1s", seconds.size(), runs,
						seconds.isEmpty() ? "-" : String.format("%.1f s", median(seconds)),
						heap.isEmpty() ? "-" : String.format("%.0f %% (%.0f-%.0f %%)", median(heap),
								heap.stream().mapToDouble(Double::doubleValue).min().orElse(0),
								heap.stream().mapToDouble(Double::doubleValue).max().orElse(0)));
			}
		}
		controls(controlSeconds);
	}

	/**
	 * Runs the control under every collector at once, passive, for {@code seconds}: false alarms, base
	 * samples, and the CPU time of the detector's thread per collection it processed.
	 */
	private static void controls(int seconds) throws Exception {
		System.out.println();
		System.out.println("| JDK | collector | control seconds | leak events | base samples | collections | "
				+ "detector CPU | CPU per collection |");
		System.out.println("|---|---|---|---|---|---|---|---|");
		Map<String, ChildJvm> children = new java.util.LinkedHashMap<>();
		try {
			for (Map.Entry<String, List<String>> collector : Collectors.onThisJdk().entrySet()) {
				children.put(collector.getKey(), ChildJvm.start(Collectors.options(collector.getValue(), "-Xmx256m"),
						SeedLeakProgram.class, "control", Integer.toString(seconds), "0"));
			}
			for (Map.Entry<String, ChildJvm> child : children.entrySet()) {
				String done = child.getValue()
					.awaitExit(seconds + 60)
					.stream()
					.filter((line) -> line.startsWith("DONE "))
					.findFirst()
					.orElse("DONE leaks=-1 fullGc=0 incGc=0 samples=0 trend=0 detectorCpuMs=0");
				double collections = SeedLeakIT.field(done, "fullGc") + SeedLeakIT.field(done, "incGc");
				double cpuMs = SeedLeakIT.field(done, "detectorCpuMs");
				System.out.printf("| %d | %s | %d | %.0f | %.0f | %.0f | %.1f ms | %s |%n", Runtime.version().feature(),
						child.getKey(), seconds, SeedLeakIT.field(done, "leaks"), SeedLeakIT.field(done, "samples"),
						collections, cpuMs,
						(collections > 0) ? String.format("%.0f µs", cpuMs * 1000 / collections) : "-");
			}
		}
		finally {
			children.values().forEach(ChildJvm::close);
		}
	}

	private static double median(List<Double> values) {
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
		Arrays.sort(sorted);
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

}
