package io.leakwatch.core;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

/**
 * Asks a collector that has gone quiet to examine the old generation, so a fast leak shows before the
 * heap is nearly full. Collectors start old collections on their own heuristics (G1's adaptive IHOP,
 * Shenandoah's free threshold, Parallel's full old generation), and a leak of large objects that
 * triggers no young collection can fill half the heap without a single collection.
 *
 * <ul>
 * <li>G1: sets the manageable {@code G1PeriodicGCInterval} (JEP 346) when the user left it at 0, so G1
 * starts a concurrent cycle after that long without any collection; restored on close.</li>
 * <li>ZGC, and Shenandoah while {@code ExplicitGCInvokesConcurrent} is on (its default): calls
 * {@code System.gc()}, which both run as a concurrent cycle, when no base sample came for the interval
 * and the heap in use grew by the minimum growth since the last one.</li>
 * <li>Serial and Parallel: nothing, unless the user opts in to stop-the-world probes: their only old
 * collection is a full collection that stops the application, so {@code System.gc()} then pauses it
 * for as long as a full collection of its heap takes.</li>
 * </ul>
 */
final class OldGenerationProbe implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(LeakDetector.class.getName());

	private static final String G1_INTERVAL = "G1PeriodicGCInterval";

	private final ScheduledExecutorService scheduler;

	private final boolean restoreG1Interval;

	private OldGenerationProbe(ScheduledExecutorService scheduler, boolean restoreG1Interval) {
		this.scheduler = scheduler;
		this.restoreG1Interval = restoreG1Interval;
	}

	/**
	 * Starts probing, or returns {@code null} when this collector cannot be probed without a pause.
	 * @param interval how long without an old collection before probing
	 * @param collectors the collector bean names
	 * @param lastOld the last old collection the notifications reported, or {@code null} before the first:
	 * read as the notifications come, not from the detector's analysed stats, which lag them by the
	 * detector thread's batch (a probe that read those could ask ZGC for a cycle right after one it had
	 * not yet analysed; most likely what reported the seed at 59 % of the heap once)
	 * @param minGrowth how much the heap in use must have grown since the last base before probing
	 * @param stopTheWorld whether Serial and Parallel may be probed with a full collection
	 * @return the probe, or {@code null}
	 */
	static OldGenerationProbe start(Duration interval, List<String> collectors, Supplier<OldCollection> lastOld,
			long minGrowth, boolean stopTheWorld) {
		HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
		if (collectors.contains("G1 Young Generation")) {
			return startG1(hotSpot, interval);
		}
		boolean zgc = collectors.stream().anyMatch((name) -> name.startsWith("ZGC"));
		boolean shenandoah = collectors.stream().anyMatch((name) -> name.startsWith("Shenandoah"));
		boolean pausing = collectors.contains("PS MarkSweep") || collectors.contains("MarkSweepCompact");
		if ((zgc || (shenandoah && "true".equals(option(hotSpot, "ExplicitGCInvokesConcurrent")))
				|| (pausing && stopTheWorld)) && !"true".equals(option(hotSpot, "DisableExplicitGC"))) {
			ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
				Thread thread = new Thread(runnable, "leakwatch-probe");
				thread.setDaemon(true);
				return thread;
			});
			long millis = Math.max(100, interval.toMillis());
			long start = System.currentTimeMillis();
			scheduler.scheduleWithFixedDelay(() -> probeIfQuiet(lastOld.get(), millis, minGrowth, start), millis,
					Math.max(50, millis / 2), TimeUnit.MILLISECONDS);
			logger.log(Level.INFO, "leakwatch asks the collector for {0} after {1} ms without one while the heap "
					+ "grows (leakwatch.detector.probe-interval)", pausing ? "a full stop-the-world collection"
							: "a concurrent cycle", String.valueOf(millis));
			return new OldGenerationProbe(scheduler, false);
		}
		logger.log(Level.INFO, "leakwatch.detector.probe-interval is ignored: collectors {0} have no concurrent old "
				+ "collection to ask for (see leakwatch.detector.probe-stop-the-world)", collectors);
		return null;
	}

	private static OldGenerationProbe startG1(HotSpotDiagnosticMXBean hotSpot, Duration interval) {
		try {
			if (!"0".equals(option(hotSpot, G1_INTERVAL))) {
				logger.log(Level.INFO, "leakwatch leaves G1PeriodicGCInterval as set: {0}",
						option(hotSpot, G1_INTERVAL));
				return null;
			}
			String millis = Long.toString(Math.max(1, interval.toMillis()));
			hotSpot.setVMOption(G1_INTERVAL, millis);
			logger.log(Level.INFO, "leakwatch set G1PeriodicGCInterval={0} ms (leakwatch.detector.probe-interval)",
					millis);
			return new OldGenerationProbe(null, true);
		}
		catch (RuntimeException ex) {
			logger.log(Level.WARNING, "Could not set G1PeriodicGCInterval: " + ex);
			return null;
		}
	}

	private static void probeIfQuiet(OldCollection lastOld, long interval, long minGrowth, long start) {
		try {
			long now = System.currentTimeMillis();
			long last = (lastOld != null) ? lastOld.endMillis() : start;
			long base = (lastOld != null) ? lastOld.base() : 0;
			long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
			if (now - last >= interval && used - base >= minGrowth) {
				System.gc();
			}
		}
		catch (RuntimeException ex) {
			logger.log(Level.DEBUG, "Probe failed", ex);
		}
	}

	private static String option(HotSpotDiagnosticMXBean hotSpot, String name) {
		try {
			VMOption option = hotSpot.getVMOption(name);
			return option.getValue();
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * An old collection as its notification reported it.
	 * @param endMillis when it ended (epoch ms)
	 * @param base the base it told ({@link CollectorModel#baseOf})
	 */
	record OldCollection(long endMillis, long base) {
	}

	@Override
	public void close() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
		}
		if (this.restoreG1Interval) {
			try {
				ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).setVMOption(G1_INTERVAL, "0");
			}
			catch (RuntimeException ex) {
				logger.log(Level.DEBUG, "Could not restore G1PeriodicGCInterval", ex);
			}
		}
	}

}
