package io.leakwatch.it;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import io.leakwatch.core.DetectorSettings;
import io.leakwatch.core.HeapStats;
import io.leakwatch.core.LeakDetector;
import io.leakwatch.core.LeakListener;
import io.leakwatch.core.LeakReport;

/**
 * The seed's leak as a plain Java program, run as a child JVM by the integration tests: every 100 ms
 * it replaces a field with a new object holding a ~1 MB string and a closure that captures the
 * previous object, so the chain never dies. With {@code control} the closure captures nothing.
 * Prints one {@code LEAK} line per leak event and one {@code DONE} line at the end. Arguments:
 * {@code leak|control seconds [probeMillis [exit-on-leak]]}; {@code -DprobeStopTheWorld=true} lets the
 * probe ask Serial and Parallel for full collections.
 */
public final class SeedLeakProgram {

	static volatile Thing theThing;

	private SeedLeakProgram() {
	}

	public static void main(String[] args) throws Exception {
		boolean leak = "leak".equals(args[0]);
		long seconds = Long.parseLong(args[1]);
		Duration probe = Duration.ofMillis((args.length > 2) ? Long.parseLong(args[2]) : 0);
		boolean exitOnLeak = args.length > 3 && "exit-on-leak".equals(args[3]);
		boolean stopTheWorld = Boolean.getBoolean("probeStopTheWorld");
		long start = System.nanoTime();
		long max = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
		LeakListener listener = new LeakListener() {
			@Override
			public void onLeak(LeakReport report) {
				long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
				System.out.printf("LEAK elapsedMs=%d heapUsedPercent=%.1f basePercent=%.1f samples=%d rule=%s reason=%s%n",
						(System.nanoTime() - start) / 1_000_000, used * 100.0 / max, report.endBase() * 100.0 / max,
						report.samples(), report.rule(), report.reason());
				if (exitOnLeak) {
					System.out.flush();
					Runtime.getRuntime().halt(0);
				}
			}

			@Override
			public void onStats(HeapStats stats) {
				if (Boolean.getBoolean("leakwatch.trace")) {
					System.out.println("STATS " + stats);
				}
			}
		};
		try (LeakDetector detector = LeakDetector
			.start(DetectorSettings.defaults()
				.withWarmUp(Duration.ZERO)
				.withProbeInterval(probe)
				.withProbeStopTheWorld(stopTheWorld), listener)) {
			System.out.println("READY jfrForG1=" + detector.watchesG1CyclesWithJfr() + " probing=" + detector.probes());
			int n = 0;
			while (System.nanoTime() - start < seconds * 1_000_000_000L) {
				replaceThing(leak, n++);
				Thread.sleep(100);
			}
			Thread.sleep(500);
			HeapStats stats = detector.stats();
			System.out.printf("DONE leaks=%d fullGc=%d incGc=%d samples=%d trend=%.2f detectorCpuMs=%.1f%n",
					detector.leakCount(), stats.numFullGc(), stats.numIncGc(), stats.baseSamples(), stats.usageTrend(),
					detectorCpuNanos() / 1e6);
		}
		catch (OutOfMemoryError oom) {
			theThing = null;
			System.out.println("OOM");
		}
		// A JVM that ran out of memory can be too sick to shut down on its own; the output is complete.
		System.out.flush();
		Runtime.getRuntime().halt(0);
	}

	/** CPU time of leakwatch's analysis thread, the only place its per-collection work runs. */
	public static long detectorCpuNanos() {
		java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals("leakwatch-detector"))
			.mapToLong((thread) -> threads.getThreadCpuTime(thread.getId()))
			.sum();
	}

	private static void replaceThing(boolean leak, int n) {
		Thing leaked = theThing;
		Runnable unused = () -> {
			if (leaked != null) {
				System.out.print("");
			}
		};
		String longStr = "*".repeat(1_000_000 + (n % 7));
		theThing = new Thing(longStr, leak ? unused : () -> {
		});
	}

	record Thing(String longStr, Runnable someMethod) {
	}

}
