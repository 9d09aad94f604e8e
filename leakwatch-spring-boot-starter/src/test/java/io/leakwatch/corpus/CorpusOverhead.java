package io.leakwatch.corpus;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import javax.management.ObjectName;

import io.leakwatch.core.DetectorSettings;
import io.leakwatch.core.LeakDetector;
import io.leakwatch.core.LeakListener;
import io.leakwatch.it.SeedLeakProgram;

/**
 * What leakwatch costs an allocation-heavy application, measured side by side in one JVM so the noisy
 * machine affects both sides alike: rounds without and with a running {@link LeakDetector}, in the
 * order A B B A A B B A ... (so a drift in machine load favours neither side), each round counting
 * completed units of an allocation-heavy workload. A "with" round starts the detector at its start and
 * closes it at its end, so its start-up (and, for G1 on JDK 17, its JFR recording) is charged to it:
 * the ratio is a lower bound of steady state. Two ratios: units per wall-clock second, which other
 * processes on a shared machine disturb, and units per CPU-second of this process (all its threads:
 * application, collector, detector), which they disturb much less. Also prints the detector thread's CPU
 * time per collection and the shallow size of leakwatch's own objects from a class histogram taken
 * while one runs. Arguments: {@code rounds roundMillis [jfrForG1]} ({@code jfrForG1} defaults to true,
 * the detector as the starter runs it).
 */
public final class CorpusOverhead {

	static volatile Object sink;

	private CorpusOverhead() {
	}

	public static void main(String[] args) throws Exception {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 16;
		long roundMillis = (args.length > 1) ? Long.parseLong(args[1]) : 3000;
		// Whether the detector may watch G1 through JFR (leakwatch.detector.jfr-for-g1), to tell its cost.
		boolean jfrForG1 = (args.length <= 2) || Boolean.parseBoolean(args[2]);
		// A live set the collector must trace: 40 MB of maps, partly replaced by the workload.
		Map<Integer, Object> live = new HashMap<>();
		for (int i = 0; i < 40_000; i++) {
			live.put(i, new byte[1000]);
		}
		// JIT warm-up on both paths before measuring.
		runRound(live, 5000);
		try (LeakDetector warm = LeakDetector.start(DetectorSettings.defaults(), new LeakListener() {
		})) {
			runRound(live, 2000);
		}
		List<Double> without = new ArrayList<>();
		List<Double> with = new ArrayList<>();
		List<Double> withoutPerCpu = new ArrayList<>();
		List<Double> withPerCpu = new ArrayList<>();
		long detectorCpu = 0;
		long detectorGcs = 0;
		for (int i = 0; i < rounds; i++) {
			boolean withDetector = (i % 4 == 1) || (i % 4 == 2);
			if (withDetector) {
				long gcsBefore = collections();
				long cpuBefore = processCpuNanos();
				LeakDetector detector = LeakDetector.start(DetectorSettings.defaults(), new LeakListener() {
				}, jfrForG1);
				long ops = runRound(live, roundMillis);
				// Let the last notifications be analysed before reading the thread's CPU.
				Thread.sleep(100);
				detectorCpu += SeedLeakProgram.detectorCpuNanos();
				detectorGcs += collections() - gcsBefore;
				detector.close();
				withPerCpu.add(ops * 1e9 / (processCpuNanos() - cpuBefore));
				with.add(ops * 1000.0 / roundMillis);
			}
			else {
				long cpuBefore = processCpuNanos();
				long ops = runRound(live, roundMillis);
				withoutPerCpu.add(ops * 1e9 / (processCpuNanos() - cpuBefore));
				without.add(ops * 1000.0 / roundMillis);
			}
		}
		System.out.printf("OVERHEAD rounds=%d roundMs=%d jfrForG1=%s withoutOpsPerS=%s withOpsPerS=%s%n", rounds,
				roundMillis, jfrForG1, format(without), format(with));
		System.out.printf("PERCPU withoutOpsPerCpuS=%s withOpsPerCpuS=%s%n", format(withoutPerCpu), format(withPerCpu));
		printRatios("RATIO wall", with, without);
		printRatios("RATIO cpu", withPerCpu, withoutPerCpu);
		System.out.printf("DETECTOR collections=%d cpuMs=%.1f cpuPerCollectionUs=%.1f%n", detectorGcs,
				detectorCpu / 1e6, (detectorGcs > 0) ? detectorCpu / 1e3 / detectorGcs : 0.0);
		try (LeakDetector detector = LeakDetector.start(DetectorSettings.defaults(), new LeakListener() {
		})) {
			runRound(live, 3000);
			System.out.println("HISTOGRAM " + leakwatchHistogram());
		}
		sink = live;
		System.out.flush();
		Runtime.getRuntime().halt(0);
	}

	/** Pairs each "with" round with the "without" round beside it in the A B B A order. */
	private static void printRatios(String label, List<Double> with, List<Double> without) {
		double[] ratios = new double[with.size()];
		for (int i = 0; i < ratios.length; i++) {
			ratios[i] = with.get(i) / without.get(i);
		}
		Arrays.sort(ratios);
		System.out.printf("%s median=%.4f quartiles=%.4f-%.4f min=%.4f max=%.4f total=%.4f%n", label,
				ratios[ratios.length / 2], ratios[ratios.length / 4], ratios[ratios.length * 3 / 4], ratios[0],
				ratios[ratios.length - 1], sum(with) / sum(without));
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	/** One unit: a request-like burst of maps, strings and lists, most of it garbage at once. */
	private static long runRound(Map<Integer, Object> live, long millis) {
		long end = System.nanoTime() + millis * 1_000_000;
		long ops = 0;
		ThreadLocalRandom random = ThreadLocalRandom.current();
		while (System.nanoTime() < end) {
			Map<String, Object> request = new HashMap<>();
			for (int i = 0; i < 50; i++) {
				request.put("key-" + i, new long[8 + random.nextInt(32)]);
			}
			List<String> words = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				words.add(Integer.toHexString(random.nextInt()));
			}
			words.sort(null);
			sink = request;
			live.put(random.nextInt(40_000), new byte[1000]);
			ops++;
		}
		return ops;
	}

	private static long collections() {
		long count = 0;
		for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
			count += Math.max(0, bean.getCollectionCount());
		}
		return count;
	}

	/** The {@code io.leakwatch} rows of a class histogram ({@code jcmd GC.class_histogram}). */
	private static String leakwatchHistogram() throws Exception {
		String histogram = (String) ManagementFactory.getPlatformMBeanServer()
			.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
					new Object[] { new String[0] }, new String[] { String[].class.getName() });
		long instances = 0;
		long bytes = 0;
		StringBuilder rows = new StringBuilder();
		for (String line : histogram.split("\n")) {
			if (line.contains("io.leakwatch.core")) {
				String[] parts = line.trim().split("\\s+");
				instances += Long.parseLong(parts[1]);
				bytes += Long.parseLong(parts[2]);
				rows.append(' ').append(parts[3]).append('=').append(parts[2]);
			}
		}
		return "instances=" + instances + " bytes=" + bytes + rows;
	}

	private static String format(List<Double> values) {
		return values.stream().map((v) -> String.format("%.0f", v)).toList().toString().replace(" ", "");
	}

	private static double sum(List<Double> values) {
		return values.stream().mapToDouble(Double::doubleValue).sum();
	}

}
