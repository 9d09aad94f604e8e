package io.leakwatch.profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The throughput cost of leaving the suspect profiler on, on an allocation-heavy single-threaded
 * workload (small short-lived objects, one in 256 kept in a slowly growing retained set): one JVM
 * runs rounds of three slices, without the profiler, with it sampling without stack traces (what
 * {@code leakwatch.profiler=always} does while no diff is open and the heap does not rise) and with
 * stack traces (while a diff is open or the heap rises, or all the time with
 * {@code continuous-stack-traces}), in an order that changes every round, after a warm-up. One JVM, so
 * every kind of slice runs the same compiled code on the same heap and sees the same noise from a
 * shared machine; separate JVMs run side by side differed by up to 80x here when one's JIT threads
 * starved. Besides operations per second of wall time, it counts operations per second of the
 * process's CPU time (all threads: the workload, GC, JIT and JFR's own), which time slices lost to
 * other processes on a shared machine do not dilute; the per-round ratios to the slice without get a
 * 95 % bootstrap interval of their median. Sampling costs only on the JVM's allocation slow path (a new
 * TLAB, or outside one), which compiled code reaches the same way in every kind of slice. At the end,
 * the profiler is asked for suspects once, to show it was sampling. Not part of the test run; run with
 * the same flags on each JDK:
 * {@code java -Xmx512m -Xms512m -cp ... io.leakwatch.profile.ProfilerThroughputBenchmark [rounds] [sliceSeconds]}.
 */
public final class ProfilerThroughputBenchmark {

	private static final int RETAINED_CAPACITY = 1_000_000;

	private static final int WARM_UP_SECONDS = 10;

	private static final int RESAMPLES = 5000;

	/** The three kinds of slice. */
	private enum Kind {

		WITHOUT("without the profiler"), NO_STACKS("sampling, no stack traces"), STACKS("sampling with stack traces");

		final String label;

		Kind(String label) {
			this.label = label;
		}

	}

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
				+ " rounds of three " + slice + " s slices after " + WARM_UP_SECONDS
				+ " s warm-up, profiler available: " + SuspectProfiler.availability());
		work(WARM_UP_SECONDS);
		Kind[][] orders = { { Kind.WITHOUT, Kind.NO_STACKS, Kind.STACKS }, { Kind.STACKS, Kind.WITHOUT, Kind.NO_STACKS },
				{ Kind.NO_STACKS, Kind.STACKS, Kind.WITHOUT }, { Kind.WITHOUT, Kind.STACKS, Kind.NO_STACKS },
				{ Kind.NO_STACKS, Kind.WITHOUT, Kind.STACKS }, { Kind.STACKS, Kind.NO_STACKS, Kind.WITHOUT } };
		Map<Kind, List<double[]>> results = new EnumMap<>(Kind.class);
		for (int round = 0; round < rounds; round++) {
			Map<Kind, double[]> measured = new EnumMap<>(Kind.class);
			for (Kind kind : orders[round % orders.length]) {
				measured.put(kind, slice(kind, slice));
			}
			measured.forEach((kind, result) -> results.computeIfAbsent(kind, (k) -> new ArrayList<>()).add(result));
			double[] base = measured.get(Kind.WITHOUT);
			System.out.printf(Locale.ROOT,
					"round %d: without %.2f Mops/s (%.2f Mops/CPU-s); no stacks %.2f (%.2f), ratio %.4f (per CPU-s %.4f); "
							+ "stacks %.2f (%.2f), ratio %.4f (per CPU-s %.4f)%n",
					round + 1, base[0] / 1e6, base[1] / 1e6, measured.get(Kind.NO_STACKS)[0] / 1e6,
					measured.get(Kind.NO_STACKS)[1] / 1e6, measured.get(Kind.NO_STACKS)[0] / base[0],
					measured.get(Kind.NO_STACKS)[1] / base[1], measured.get(Kind.STACKS)[0] / 1e6,
					measured.get(Kind.STACKS)[1] / 1e6, measured.get(Kind.STACKS)[0] / base[0],
					measured.get(Kind.STACKS)[1] / base[1]);
		}
		System.out.println();
		System.out.println("| slice | wall time: median Mops/s | ratio to without, median (quartiles) [95 % interval] "
				+ "| CPU time: median Mops/CPU-s | ratio to without, median (quartiles) [95 % interval] |");
		System.out.println("|---|---|---|---|---|");
		Random random = new Random(1);
		for (Kind kind : Kind.values()) {
			List<Double> wall = new ArrayList<>();
			List<Double> cpu = new ArrayList<>();
			List<Double> wallRatios = new ArrayList<>();
			List<Double> cpuRatios = new ArrayList<>();
			for (int round = 0; round < rounds; round++) {
				double[] result = results.get(kind).get(round);
				double[] base = results.get(Kind.WITHOUT).get(round);
				wall.add(result[0]);
				cpu.add(result[1]);
				wallRatios.add(result[0] / base[0]);
				cpuRatios.add(result[1] / base[1]);
			}
			System.out.printf(Locale.ROOT, "| %s | %.2f | %s | %.2f | %s |%n", kind.label, median(wall) / 1e6,
					(kind == Kind.WITHOUT) ? "1" : summary(wallRatios, random), median(cpu) / 1e6,
					(kind == Kind.WITHOUT) ? "1" : summary(cpuRatios, random));
		}
		try (SuspectProfiler profiler = SuspectProfiler.start(ProfilerSettings.defaults())) {
			work(slice);
			SuspectReport report = profiler.suspects(List.of(Order.class.getName(), "int[]"), 1);
			System.out.println("after one more slice: " + report.samplesRead() + " samples, " + report.samplesWithPath()
					+ " with a path, emission " + report.searchTime().toMillis() + " ms; "
					+ report.top().map(Suspect::oneLine).orElse("no suspect"));
		}
		System.out.println("sink " + sink);
	}

	/** Median, quartiles and a percentile bootstrap interval of the median. */
	private static String summary(List<Double> ratios, Random random) {
		List<Double> sorted = ratios.stream().sorted().toList();
		int n = sorted.size();
		double[] medians = new double[RESAMPLES];
		for (int r = 0; r < RESAMPLES; r++) {
			List<Double> resample = new ArrayList<>(n);
			for (int i = 0; i < n; i++) {
				resample.add(ratios.get(random.nextInt(n)));
			}
			medians[r] = median(resample);
		}
		Arrays.sort(medians);
		return String.format(Locale.ROOT, "%.3f (%.3f-%.3f) [%.3f-%.3f]", median(ratios), sorted.get(n / 4),
				sorted.get((3 * n) / 4), medians[(int) (RESAMPLES * 0.025)], medians[(int) (RESAMPLES * 0.975) - 1]);
	}

	/**
	 * Operations per second of wall time and per second of process CPU time over one slice of a kind (the
	 * profiler started before the clocks).
	 */
	private static double[] slice(Kind kind, int seconds) {
		SuspectProfiler suspects = (kind == Kind.WITHOUT) ? null
				: SuspectProfiler.start(ProfilerSettings.defaults(), kind == Kind.STACKS);
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

}
