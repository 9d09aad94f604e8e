package io.leakwatch.profile;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The throughput cost of leaving the suspect profiler on: an allocation-heavy single-threaded workload
 * (small short-lived objects, one in 256 kept in a slowly growing retained set) in two child JVMs with the
 * same flags, one without and one with the profiler, running side by side so that both see the same
 * noise from a shared machine; several rounds, the one started first alternating. Each child warms up,
 * counts operations for a fixed time, and (with the profiler) then asks for suspects once to show it
 * was sampling. Not part of the test run:
 * {@code java -cp ... io.leakwatch.profile.ProfilerThroughputBenchmark [rounds] [seconds] [java]}.
 */
public final class ProfilerThroughputBenchmark {

	private static final List<String> FLAGS = List.of("-Xmx512m", "-Xms512m");

	private static final int RETAINED_CAPACITY = 1_000_000;

	private static final int WARM_UP_SECONDS = 5;

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

	static long sink;

	private ProfilerThroughputBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("child")) {
			child(args[1].equals("on"), Integer.parseInt(args[2]));
			return;
		}
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 5;
		int seconds = (args.length > 1) ? Integer.parseInt(args[1]) : 10;
		String java = (args.length > 2) ? args[2]
				: System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		System.out.println("java: " + java + " (" + SuspectPauseBenchmark.version(java) + "), flags " + FLAGS
				+ ", rounds " + rounds + ", " + WARM_UP_SECONDS + " s warm-up + " + seconds + " s measured per child");
		List<Double> off = new ArrayList<>();
		List<Double> on = new ArrayList<>();
		List<Double> ratios = new ArrayList<>();
		for (int round = 0; round < rounds; round++) {
			boolean onFirst = round % 2 == 1;
			Process first = start(java, onFirst, seconds);
			Process second = start(java, !onFirst, seconds);
			CompletableFuture<Double> firstResult = CompletableFuture.supplyAsync(() -> result(first));
			double secondResult = result(second);
			double withProfiler = onFirst ? firstResult.join() : secondResult;
			double without = onFirst ? secondResult : firstResult.join();
			off.add(without);
			on.add(withProfiler);
			ratios.add(withProfiler / without);
			System.out.printf(Locale.ROOT, "round %d (%s): without %.2f Mops/s, with %.2f Mops/s, ratio %.4f%n", round + 1,
					onFirst ? "on first" : "off first", without / 1e6, withProfiler / 1e6, withProfiler / without);
		}
		System.out.printf(Locale.ROOT,
				"median without %.2f Mops/s, median with %.2f Mops/s, ratio of medians %.4f, per-round ratios median %.4f "
						+ "(min %.4f, max %.4f)%n",
				median(off) / 1e6, median(on) / 1e6, median(on) / median(off), median(ratios), min(ratios),
				max(ratios));
	}

	private static Process start(String java, boolean profiler, int seconds) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(java);
		command.addAll(FLAGS);
		command.addAll(List.of("-cp", System.getProperty("java.class.path"),
				ProfilerThroughputBenchmark.class.getName(), "child", profiler ? "on" : "off", Integer.toString(seconds)));
		return new ProcessBuilder(command).redirectErrorStream(true).start();
	}

	private static double result(Process process) {
		String output;
		try {
			output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(5, TimeUnit.MINUTES)) {
				process.destroyForcibly();
			}
		}
		catch (java.io.IOException | InterruptedException ex) {
			process.destroyForcibly();
			throw new IllegalStateException(ex);
		}
		for (String line : output.lines().toList()) {
			if (line.startsWith("SAMPLES ")) {
				System.out.println("  " + line);
			}
		}
		return output.lines()
			.filter((line) -> line.startsWith("OPS "))
			.mapToDouble((line) -> Double.parseDouble(line.substring(4)))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("no result from the child: " + output));
	}

	private static void child(boolean profiler, int seconds) {
		SuspectProfiler suspects = profiler ? SuspectProfiler.start(ProfilerSettings.defaults()) : null;
		Object[] retained = new Object[RETAINED_CAPACITY];
		long[] counter = { 0 };
		work(retained, counter, WARM_UP_SECONDS);
		long before = counter[0];
		long start = System.nanoTime();
		work(retained, counter, seconds);
		double opsPerSecond = (counter[0] - before) * 1e9 / (System.nanoTime() - start);
		System.out.println("OPS " + opsPerSecond);
		if (suspects != null) {
			SuspectReport report = suspects.suspects(List.of(Order.class.getName(), "int[]"), 1);
			System.out.println("SAMPLES " + report.samplesRead() + " with path " + report.samplesWithPath() + ", top: "
					+ report.top().map(Suspect::oneLine).orElse("none"));
			suspects.close();
		}
		System.out.println("SINK " + sink);
	}

	private static void work(Object[] retained, long[] counter, int seconds) {
		long end = System.nanoTime() + seconds * 1_000_000_000L;
		long i = counter[0];
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
		counter[0] = i;
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
