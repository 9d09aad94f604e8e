package io.leakwatch.core;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Random;

/**
 * How much CPU the analyzer spends per base sample, the detector thread's whole work for one old
 * collection once the notification is copied: an hour of ZGC cycles (two a second) on a 256 MB
 * heap, a flat base within 4 MB and a base rising 1 % of the heap per minute, five rounds each. Not part
 * of the test run; {@code java -cp target/classes:target/test-classes io.leakwatch.core.RuleCostBenchmark}.
 */
public final class RuleCostBenchmark {

	private static final long MB = 1024L * 1024;

	/** Held, so that the level set on it stays: the reports' WARN lines are not what is measured. */
	private static final java.util.logging.Logger detectorLogger = java.util.logging.Logger
		.getLogger(LeakDetector.class.getName());

	private RuleCostBenchmark() {
	}

	public static void main(String[] args) {
		int samples = (args.length > 0) ? Integer.parseInt(args[0]) : 7200;
		detectorLogger.setLevel(java.util.logging.Level.OFF);
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		for (int round = 0; round < 5; round++) {
			for (boolean rising : new boolean[] { false, true }) {
				long[] clock = { 0 };
				long[] leaks = { 0 };
				DetectorSettings settings = DetectorSettings.defaults().withWarmUp(Duration.ZERO);
				LeakAnalyzer analyzer = new LeakAnalyzer(settings, 256 * MB, () -> clock[0], new LeakListener() {

					@Override
					public void onLeak(LeakReport report) {
						leaks[0]++;
					}

					@Override
					public void onStats(HeapStats stats) {
					}

				});
				Random noise = new Random(round);
				long cpu = threads.getCurrentThreadCpuTime();
				for (int i = 0; i < samples; i++) {
					clock[0] = 1_000_000 + i * 500L;
					// 1 % of the heap a minute, back to nothing every 50 minutes so the base stays within the heap.
					long leaked = rising ? i * 500L * (256 * MB / 100) / 60_000 % (128 * MB) : 0;
					long base = 80 * MB + leaked + (long) (noise.nextDouble() * 4 * MB);
					analyzer.accept(new GcEvent("ZGC Cycles", "end of GC cycle", "Proactive", clock[0], 5,
							base + 50 * MB, base, -1, -1));
				}
				cpu = threads.getCurrentThreadCpuTime() - cpu;
				System.out.printf("round %d, %s base: %d samples, %.2f us CPU per sample, %d leak reports%n", round,
						rising ? "rising" : "flat", samples, cpu / 1000.0 / samples, leaks[0]);
			}
		}
	}

}
