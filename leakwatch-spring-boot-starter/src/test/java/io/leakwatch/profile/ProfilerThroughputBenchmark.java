package io.leakwatch.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The throughput cost of leaving the suspect profiler on, on an allocation-heavy single-threaded
 * workload (small short-lived objects, one in 256 kept in a slowly growing retained set): one JVM
 * alternates slices without and with the profiler (off-on, then on-off), after a warm-up. One JVM, so
 * both kinds of slice run the same compiled code on the same heap and see the same noise from a shared
 * machine; separate JVMs run side by side differed by up to 80x here when one's JIT threads starved.
 * Besides operations per second of wall time, it counts operations per second of the process's CPU time
 * (all threads: the workload, GC, JIT and JFR's own), which time slices lost to other processes on a
 * shared machine do not dilute.
 * Sampling costs only on the JVM's allocation slow path (a new TLAB, or outside one), which compiled code
 * reaches the same way in both kinds of slice. At the end, the profiler is asked for suspects once, to
 * show it was sampling. Not part of the test run; run with the same flags on each JDK:
 * {@code java -Xmx512m -Xms512m -cp ... io.leakwatch.profile.ProfilerThroughputBenchmark [rounds] [sliceSeconds]}.
 */
public final class ProfilerThroughputBenchmark {

	private static final int RETAINED_CAPACITY = 1_000_000;

	private static final int WARM_UP_SECONDS = 10;

	/** A small object, as a request would make many. */
	static final class Order {

		final long id;

		final String name;

		final int[] lines;

		Order(long id, String name, int[] lines) {
			this.id = id;
			this.name = name;
			this.lines = lines;
		}

	}

	private static final Object[] retained = new Object[RETAINED_CAPACITY];

	private static long counter;

	static long sink;

	private ProfilerThroughputBenchmark() {
	}

	public static void main(String[] args) {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 8;
		int slice = (args.length > 1) ? Integer.parseInt(args[1]) : 5;
		System.out.println("java " + System.getProperty("java.vm.version") + ", flags "
				+ java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments() + ", " + rounds
				+ " rounds of two " + slice + " s slices after " + WARM_UP_SECONDS + " s warm-up, profiler available: "
				+ SuspectProfiler.availability());
		work(WARM_UP_SECONDS);
		List<Double> ratios = new ArrayList<>();
		List<Double> cpuRatios = new ArrayList<>();
		List<Double> off = new ArrayList<>();
		List<Double> on = new ArrayList<>();
		List<Double> offCpu = new ArrayList<>();
		List<Double> onCpu = new ArrayList<>();
		for (int round = 0; round < rounds; round++) {
			boolean onFirst = round % 2 == 1;
			double[] first = slice(onFirst, slice);
			double[] second = slice(!onFirst, slice);
			double[] withProfiler = onFirst ? first : second;
			double[] without = onFirst ? second : first;
			off.add(without[0]);
			on.add(withProfiler[0]);
			offCpu.add(without[1]);
			onCpu.add(withProfiler[1]);
			ratios.add(withProfiler[0] / without[0]);
			cpuRatios.add(withProfiler[1] / without[1]);
			System.out.printf(Locale.ROOT,
					"round %d (%s): without %.2f Mops/s (%.2f Mops/CPU-s), with %.2f Mops/s (%.2f Mops/CPU-s), ratio %.4f "
							+ "(per CPU-s %.4f)%n",
					round + 1, onFirst ? "on first" : "off first", without[0] / 1e6, without[1] / 1e6,
					withProfiler[0] / 1e6, withProfiler[1] / 1e6, withProfiler[0] / without[0],
					withProfiler[1] / without[1]);
		}
		System.out.printf(Locale.ROOT,
				"wall time: median without %.2f Mops/s, with %.2f Mops/s; per-round ratio median %.4f (min %.4f, max %.4f)%n",
				median(off) / 1e6, median(on) / 1e6, median(ratios), min(ratios), max(ratios));
		System.out.printf(Locale.ROOT,
				"process CPU time: median without %.2f Mops/CPU-s, with %.2f Mops/CPU-s; per-round ratio median %.4f "
						+ "(min %.4f, max %.4f)%n",
				median(offCpu) / 1e6, median(onCpu) / 1e6, median(cpuRatios), min(cpuRatios), max(cpuRatios));
		try (SuspectProfiler profiler = SuspectProfiler.start(ProfilerSettings.defaults())) {
			work(slice);
			SuspectReport report = profiler.suspects(List.of(Order.class.getName(), "int[]"), 1);
			System.out.println("after one more slice: " + report.samplesRead() + " samples, " + report.samplesWithPath()
					+ " with a path, emission " + report.searchTime().toMillis() + " ms; "
					+ report.top().map(Suspect::oneLine).orElse("no suspect"));
		}
		System.out.println("sink " + sink);
	}

	/**
	 * Operations per second of wall time and per second of process CPU time over one slice, with or without
	 * the profiler (started before the clocks).
	 */
	private static double[] slice(boolean profiler, int seconds) {
		SuspectProfiler suspects = profiler ? SuspectProfiler.start(ProfilerSettings.defaults()) : null;
		try {
			long before = counter;
			long cpu = processCpuNanos();
			long start = System.nanoTime();
			work(seconds);
			long ops = counter - before;
			return new double[] { ops * 1e9 / (System.nanoTime() - start), ops * 1e9 / (processCpuNanos() - cpu) };
		}
		finally {
			if (suspects != null) {
				suspects.close();
			}
		}
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
			.getOperatingSystemMXBean()).getProcessCpuTime();
	}

	private static void work(int seconds) {
		long end = System.nanoTime() + seconds * 1_000_000_000L;
		long i = counter;
		long local = 0;
		while (System.nanoTime() < end) {
			for (int k = 0; k < 1000; k++) {
				Order order = new Order(i, "order-" + i, new int[8]);
				List<Order> batch = new ArrayList<>(4);
				batch.add(order);
				local += batch.size() + order.name.length() + order.lines.length;
				if ((i & 255) == 0) {
					retained[(int) ((i >>> 8) % RETAINED_CAPACITY)] = order;
				}
				i++;
			}
		}
		counter = i;
		sink += local;
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	private static double min(List<Double> values) {
		return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
	}

	private static double max(List<Double> values) {
		return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
	}

}
