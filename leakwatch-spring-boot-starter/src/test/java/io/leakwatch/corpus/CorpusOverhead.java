package io.leakwatch.corpus;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.ObjectName;

import io.leakwatch.core.DetectorSettings;
import io.leakwatch.core.LeakDetector;
import io.leakwatch.core.LeakListener;
import io.leakwatch.it.SeedLeakProgram;

/**
 * What leakwatch costs an allocation-heavy application, measured side by side in one JVM so the noisy
 * machine affects all sides alike. Rounds of three kinds take turns, in the order A B C C B A ... (so a
 * drift in machine load favours none): without anything watching the collections; with a no-op GC
 * notification listener only, which is what Micrometer's {@code JvmGcMetrics} already registers in every
 * Actuator application (once a listener is registered the JVM builds a notification per collection);
 * and with a running {@link LeakDetector}. Each round counts completed units of an allocation-heavy
 * workload. The listener or detector starts before its round and runs the workload for a settling
 * second before the count begins, so the ratios are steady state; the detector's start-up is timed on
 * its own. Two ratios: units per wall-clock second, which other processes on a shared machine disturb,
 * and units per CPU-second of this process (all its threads: application, collector, detector), which
 * they disturb much less. Also prints the detector thread's CPU time per collection and the shallow size
 * of leakwatch's own objects from a class histogram taken while one runs. Arguments:
 * {@code rounds roundMillis [jfrForG1]} ({@code jfrForG1} defaults to true, the detector as the starter
 * runs it).
 */
public final class CorpusOverhead {

	static volatile Object sink;

	private static final long SETTLE_MILLIS = 1000;

	/** The JVM's notification thread as the kernel names it (15 characters). */
	private static final String NOTIFICATION_THREAD = "Notification Th";

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
		// JIT warm-up on every path before measuring.
		runRound(live, 5000);
		try (AutoCloseable listener = listenOnly();
				LeakDetector warm = LeakDetector.start(DetectorSettings.defaults(), new LeakListener() {
				}, jfrForG1)) {
			runRound(live, 2000);
		}
		Map<Mode, List<Double>> perWall = new EnumMap<>(Mode.class);
		Map<Mode, List<Double>> perCpu = new EnumMap<>(Mode.class);
		for (Mode mode : Mode.values()) {
			perWall.put(mode, new ArrayList<>());
			perCpu.put(mode, new ArrayList<>());
		}
		long detectorCpu = 0;
		long detectorGcs = 0;
		Map<Mode, Map<String, Long>> threadCpu = new EnumMap<>(Mode.class);
		Map<Mode, Long> measuredCpu = new EnumMap<>(Mode.class);
		for (Mode mode : Mode.values()) {
			threadCpu.put(mode, new HashMap<>());
			measuredCpu.put(mode, 0L);
		}
		List<Double> startMillis = new ArrayList<>();
		List<Double> startCpuMillis = new ArrayList<>();
		for (int i = 0; i < rounds; i++) {
			List<Mode> order = new ArrayList<>(List.of(Mode.values()));
			if (i % 2 == 1) {
				Collections.reverse(order);
			}
			for (Mode mode : order) {
				AutoCloseable watcher = () -> {
				};
				if (mode == Mode.LISTENER) {
					watcher = listenOnly();
				}
				else if (mode == Mode.DETECTOR) {
					long cpuBefore = processCpuNanos();
					long started = System.nanoTime();
					watcher = LeakDetector.start(DetectorSettings.defaults(), new LeakListener() {
					}, jfrForG1);
					startMillis.add((System.nanoTime() - started) / 1e6);
					startCpuMillis.add((processCpuNanos() - cpuBefore) / 1e6);
				}
				runRound(live, SETTLE_MILLIS);
				long gcsBefore = collections();
				long cpuDetectorBefore = SeedLeakProgram.detectorCpuNanos();
				Map<String, ThreadCpu.Sample> threadsBefore = ThreadCpu.snapshot();
				long cpuBefore = processCpuNanos();
				long ops = runRound(live, roundMillis);
				long cpuUsed = processCpuNanos() - cpuBefore;
				perCpu.get(mode).add(ops * 1e9 / cpuUsed);
				perWall.get(mode).add(ops * 1000.0 / roundMillis);
				if (mode == Mode.DETECTOR) {
					// Let the last notifications be analysed before reading the thread's CPU.
					Thread.sleep(500);
					detectorCpu += SeedLeakProgram.detectorCpuNanos() - cpuDetectorBefore;
					detectorGcs += collections() - gcsBefore;
				}
				ThreadCpu.addDelta(threadsBefore, ThreadCpu.snapshot(), threadCpu.get(mode));
				measuredCpu.merge(mode, cpuUsed, Long::sum);
				watcher.close();
			}
		}
		System.out.printf("OVERHEAD rounds=%d roundMs=%d settleMs=%d jfrForG1=%s%n", rounds, roundMillis,
				SETTLE_MILLIS, jfrForG1);
		for (Mode mode : Mode.values()) {
			System.out.printf("UNITS %s perWallS=%s perCpuS=%s%n", mode, format(perWall.get(mode)),
					format(perCpu.get(mode)));
		}
		printRatios("RATIO wall detector/none", perWall.get(Mode.DETECTOR), perWall.get(Mode.NONE));
		printRatios("RATIO cpu detector/none", perCpu.get(Mode.DETECTOR), perCpu.get(Mode.NONE));
		printRatios("RATIO wall listener/none", perWall.get(Mode.LISTENER), perWall.get(Mode.NONE));
		printRatios("RATIO cpu listener/none", perCpu.get(Mode.LISTENER), perCpu.get(Mode.NONE));
		printRatios("RATIO wall detector/listener", perWall.get(Mode.DETECTOR), perWall.get(Mode.LISTENER));
		printRatios("RATIO cpu detector/listener", perCpu.get(Mode.DETECTOR), perCpu.get(Mode.LISTENER));
		System.out.printf("DETECTOR collections=%d cpuMs=%.1f cpuPerCollectionUs=%.1f%n", detectorGcs,
				detectorCpu / 1e6, (detectorGcs > 0) ? detectorCpu / 1e3 / detectorGcs : 0.0);
		System.out.printf("START wallMs=%s processCpuMs=%s%n", format1(startMillis), format1(startCpuMillis));
		printThreadCpu(threadCpu, measuredCpu, rounds);
		try (LeakDetector detector = LeakDetector.start(DetectorSettings.defaults(), new LeakListener() {
		}, jfrForG1)) {
			runRound(live, 3000);
			System.out.println("HISTOGRAM " + leakwatchHistogram());
		}
		sink = live;
		System.out.flush();
		Runtime.getRuntime().halt(0);
	}

	/**
	 * CPU per round of each thread group in each kind of round, and the share of the process's CPU that
	 * leakwatch's work took in the detector's rounds: its threads (the detector's, and JFR's where it
	 * watches G1 through JFR), plus the notification thread, which builds each notification and runs every
	 * GC notification listener: all of its time (an upper bound), and its time beyond the no-op listener's
	 * rounds. The no-op listener's own share (what every Actuator application pays) is printed beside it.
	 */
	private static void printThreadCpu(Map<Mode, Map<String, Long>> threadCpu, Map<Mode, Long> measuredCpu,
			int rounds) {
		java.util.Set<String> groups = new java.util.TreeSet<>();
		threadCpu.values().forEach((totals) -> groups.addAll(totals.keySet()));
		for (String group : groups) {
			System.out.printf("THREAD %-16s", "'" + group + "'");
			for (Mode mode : Mode.values()) {
				System.out.printf(" %s=%.2fms", mode, threadCpu.get(mode).getOrDefault(group, 0L) / 1e6 / rounds);
			}
			System.out.println();
		}
		Map<String, Long> detector = threadCpu.get(Mode.DETECTOR);
		long own = detector.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().startsWith("leakwatch") || entry.getKey().startsWith("JFR"))
			.mapToLong(Map.Entry::getValue)
			.sum();
		long notifyingAll = detector.getOrDefault(NOTIFICATION_THREAD, 0L);
		long notifying = notifyingAll - threadCpu.get(Mode.LISTENER).getOrDefault(NOTIFICATION_THREAD, 0L);
		long listening = threadCpu.get(Mode.LISTENER).getOrDefault(NOTIFICATION_THREAD, 0L)
				- threadCpu.get(Mode.NONE).getOrDefault(NOTIFICATION_THREAD, 0L);
		double detectorCpu = measuredCpu.get(Mode.DETECTOR);
		// The upper bound counts all of the notification thread's time in the detector's rounds, the JVM's
		// building of each notification included, which an application with Micrometer's listener pays anyway;
		// the no-op listener listens to every bean, leakwatch not to ZGC's pause beans, so "beyond" can be < 0.
		System.out.printf(
				"SHARE leakwatch at most %.3f%% (own threads %.2f ms/round, notification thread %.2f ms/round),"
						+ " beyond the no-op listener's %.3f%% (notification thread %+.2f ms/round);"
						+ " no-op listener %.3f%% (%.2f ms/round); process CPU per round: detector %.0f ms, listener %.0f ms%n",
				100.0 * (own + notifyingAll) / detectorCpu, own / 1e6 / rounds, notifyingAll / 1e6 / rounds,
				100.0 * (own + notifying) / detectorCpu, notifying / 1e6 / rounds,
				100.0 * listening / measuredCpu.get(Mode.LISTENER), listening / 1e6 / rounds, detectorCpu / 1e6 / rounds,
				measuredCpu.get(Mode.LISTENER) / 1e6 / rounds);
	}

	/** A GC notification listener that does nothing, as a baseline for the JVM's cost of notifying. */
	private static AutoCloseable listenOnly() throws Exception {
		NotificationListener listener = (notification, handback) -> sink = notification;
		List<NotificationEmitter> emitters = new ArrayList<>();
		for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
			if (bean instanceof NotificationEmitter emitter) {
				emitter.addNotificationListener(listener, null, null);
				emitters.add(emitter);
			}
		}
		return () -> {
			for (NotificationEmitter emitter : emitters) {
				emitter.removeNotificationListener(listener);
			}
		};
	}

	/** Pairs each round with the round of the other kind from the same turn. */
	private static void printRatios(String label, List<Double> with, List<Double> without) {
		double[] ratios = new double[with.size()];
		for (int i = 0; i < ratios.length; i++) {
			ratios[i] = with.get(i) / without.get(i);
		}
		Arrays.sort(ratios);
		double[] interval = medianInterval(ratios);
		System.out.printf("%s: median=%.4f ci95=%.4f-%.4f quartiles=%.4f-%.4f min=%.4f max=%.4f total=%.4f%n",
				label, ratios[ratios.length / 2], interval[0], interval[1], ratios[ratios.length / 4],
				ratios[ratios.length * 3 / 4], ratios[0], ratios[ratios.length - 1], sum(with) / sum(without));
	}

	/**
	 * A 95 % bootstrap interval of the median: the turns' ratios resampled with replacement 10,000 times
	 * (a fixed seed, so a run's output can be checked), the 2.5th and 97.5th percentiles of the resamples'
	 * medians. The quartiles say how much one turn varies; this says how far the median of these turns
	 * may be from the ratio a longer run would give, which is what a target such as 0.99 is held to.
	 */
	private static double[] medianInterval(double[] ratios) {
		Random random = new Random(42);
		int resamples = 10_000;
		double[] medians = new double[resamples];
		double[] resample = new double[ratios.length];
		for (int r = 0; r < resamples; r++) {
			for (int i = 0; i < resample.length; i++) {
				resample[i] = ratios[random.nextInt(ratios.length)];
			}
			Arrays.sort(resample);
			medians[r] = resample[resample.length / 2];
		}
		Arrays.sort(medians);
		return new double[] { medians[resamples * 25 / 1000], medians[resamples * 975 / 1000] };
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

	private static String format1(List<Double> values) {
		return values.stream().map((v) -> String.format("%.1f", v)).toList().toString().replace(" ", "");
	}

	private static String format(List<Double> values) {
		return values.stream().map((v) -> String.format("%.0f", v)).toList().toString().replace(" ", "");
	}

	private static double sum(List<Double> values) {
		return values.stream().mapToDouble(Double::doubleValue).sum();
	}

	private enum Mode {

		NONE, LISTENER, DETECTOR

	}

}
