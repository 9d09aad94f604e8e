package io.leakwatch.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import io.leakwatch.core.DetectorSettings;
import io.leakwatch.heap.LeakDiffer;
import io.leakwatch.profile.ProfilerSettings;
import io.leakwatch.profile.SuspectSessions;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * leakwatch's settings, under {@code leakwatch.}.
 */
@ConfigurationProperties("leakwatch")
public class LeakwatchProperties {

	/**
	 * Whether leakwatch watches the heap. When false, no detector, meter or endpoint is created.
	 */
	private boolean enabled = true;

	private final Detector detector = new Detector();

	private final HistogramDiff histogramDiff = new HistogramDiff();

	private final HeapdumpDiff heapdumpDiff = new HeapdumpDiff();

	private final LeakDiff leakDiff = new LeakDiff();

	/**
	 * When JDK Flight Recorder's leak profiler samples allocations, so diffs and leak reports can name
	 * the code that allocated what grew: off, diffs (while a diff is open) or always.
	 */
	private SuspectSessions.Mode profiler = SuspectSessions.Mode.DIFFS;

	private final Suspects suspects = new Suspects();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Detector getDetector() {
		return this.detector;
	}

	public HistogramDiff getHistogramDiff() {
		return this.histogramDiff;
	}

	public HeapdumpDiff getHeapdumpDiff() {
		return this.heapdumpDiff;
	}

	public LeakDiff getLeakDiff() {
		return this.leakDiff;
	}

	public SuspectSessions.Mode getProfiler() {
		return this.profiler;
	}

	public void setProfiler(SuspectSessions.Mode profiler) {
		this.profiler = profiler;
	}

	public Suspects getSuspects() {
		return this.suspects;
	}

	/** How suspects are named. */
	public static class Suspects {

		/**
		 * Longest time JDK Flight Recorder may search the heap for the samples' paths to GC roots when a
		 * diff ends; the search runs at a safepoint, so this bounds the pause. 0 searches no paths.
		 */
		private Duration cutoff = ProfilerSettings.DEFAULT_CUTOFF;

		/**
		 * For how many of the classes that grew most suspects are named, of the application's classes
		 * and of the JDK's each.
		 */
		private int classes = 5;

		/**
		 * How many allocation sites each suspect lists.
		 */
		private int maxSites = 3;

		/**
		 * With profiler=always, whether samples record their allocation's stack trace all the time
		 * rather than only while a diff is open or the live heap rises to new highs. Stack traces cost an
		 * allocation-heavy workload up to 2.4 % of its throughput (measured), sampling without them under
		 * 1 %.
		 */
		private boolean continuousStackTraces;

		public Duration getCutoff() {
			return this.cutoff;
		}

		public void setCutoff(Duration cutoff) {
			this.cutoff = cutoff;
		}

		public int getClasses() {
			return this.classes;
		}

		public void setClasses(int classes) {
			this.classes = classes;
		}

		public boolean isContinuousStackTraces() {
			return this.continuousStackTraces;
		}

		public void setContinuousStackTraces(boolean continuousStackTraces) {
			this.continuousStackTraces = continuousStackTraces;
		}

		public int getMaxSites() {
			return this.maxSites;
		}

		public void setMaxSites(int maxSites) {
			this.maxSites = maxSites;
		}

	}

	/** Histogram diffs on {@code /actuator/memwatch}. */
	public static class HistogramDiff {

		/**
		 * How many histogram diffs may be open at once; more are refused with 429.
		 */
		private int maxOpen = 10;

		/**
		 * How long a histogram diff may stay open before it is ended and discarded.
		 */
		private Duration ttl = Duration.ofHours(1);

		public int getMaxOpen() {
			return this.maxOpen;
		}

		public void setMaxOpen(int maxOpen) {
			this.maxOpen = maxOpen;
		}

		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(Duration ttl) {
			this.ttl = ttl;
		}

	}

	/** Heap-dump diffs on {@code /actuator/heapdump-diff}. */
	public static class HeapdumpDiff {

		/**
		 * Directory in which leakwatch creates its owner-only dump directory
		 * (leakwatch-heapdumps-PID). Defaults to the JVM's temporary directory.
		 */
		private Path directory;

		/**
		 * How many heap-dump diffs may be open at once (and how many ended ones may keep their
		 * files); more are refused with 429. Each holds a dump about as large as the heap in use.
		 */
		private int maxOpen = 2;

		/**
		 * How long a heap-dump diff may stay open, and kept dumps may stay after its end, before its
		 * files are deleted.
		 */
		private Duration ttl = Duration.ofMinutes(30);

		/**
		 * Disk space that must remain free after a dump as large as the heap in use; otherwise the dump
		 * is refused with 507.
		 */
		private DataSize minFreeDisk = DataSize.ofMegabytes(512);

		public Path getDirectory() {
			return this.directory;
		}

		public void setDirectory(Path directory) {
			this.directory = directory;
		}

		public int getMaxOpen() {
			return this.maxOpen;
		}

		public void setMaxOpen(int maxOpen) {
			this.maxOpen = maxOpen;
		}

		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(Duration ttl) {
			this.ttl = ttl;
		}

		public DataSize getMinFreeDisk() {
			return this.minFreeDisk;
		}

		public void setMinFreeDisk(DataSize minFreeDisk) {
			this.minFreeDisk = minFreeDisk;
		}

	}

	/** The diff attached to a {@code LeakDetectedEvent} and its log line. */
	public static class LeakDiff {

		/**
		 * Which diff to take when a leak is detected: off, histogram (two full collections) or
		 * heap-dump (two heap dumps, written, parsed and deleted). The event is published once the
		 * diff is done.
		 */
		private LeakDiffer.Mode mode = LeakDiffer.Mode.OFF;

		/**
		 * Time between the diff's two snapshots (the seed ended its HeapDiff 500 ms after the leak
		 * event).
		 */
		private Duration window = Duration.ofMillis(500);

		/**
		 * Least time between two leak diffs; a leak reported sooner is published without one.
		 */
		private Duration minInterval = Duration.ofMinutes(15);

		/**
		 * How many of the diff's classes, largest growth first, the event and the log carry.
		 */
		private int top = 10;

		public LeakDiffer.Mode getMode() {
			return this.mode;
		}

		public void setMode(LeakDiffer.Mode mode) {
			this.mode = mode;
		}

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

		public Duration getMinInterval() {
			return this.minInterval;
		}

		public void setMinInterval(Duration minInterval) {
			this.minInterval = minInterval;
		}

		public int getTop() {
			return this.top;
		}

		public void setTop(int top) {
			this.top = top;
		}

	}

	/** The leak rule's settings. */
	public static class Detector {

		/**
		 * How long after the application is ready base samples only update the stats and are not taken
		 * as growth: caches fill and classes load after start-up.
		 */
		private Duration warmUp = Duration.ofSeconds(30);

		/**
		 * How many consecutive growing base samples report a leak (memwatch's hard-coded 5).
		 */
		private int consecutiveGrowth = 5;

		/**
		 * Smallest rise between two base samples that counts as growth, in percent of the maximum heap.
		 */
		private double minStepPercent = 0.1;

		/**
		 * Smallest total growth over a window that is reported as a leak, in percent of the maximum
		 * heap.
		 */
		private double minGrowthPercent = 2.0;

		/**
		 * A growth this large, in percent of the maximum heap, is reported after only two consecutive
		 * growing samples, for collectors that examine the old generation rarely.
		 */
		private double fastGrowthPercent = 20.0;

		/**
		 * How many recent base samples the trend test (Mann-Kendall) looks at.
		 */
		private int trendWindow = 10;

		/**
		 * Confidence the trend test needs before a rising trend is reported, in (0.5, 1).
		 */
		private double trendConfidence = 0.99;

		/**
		 * How far back the slow trend looks, the lowest base of each stretch of time: a leak too slow for the
		 * trend window is reported once it adds min-growth-percent within this long.
		 */
		private Duration slowTrendWindow = Duration.ofHours(1);

		/**
		 * How long the base must stop growing before a suspected leak clears.
		 */
		private Duration clearAfter = Duration.ofMinutes(10);

		/**
		 * How many recent leak reports are kept for the memwatch endpoint.
		 */
		private int historySize = 20;

		/**
		 * Shortest time between two leak reports: a leak that goes on is reported again after this long.
		 */
		private Duration reportInterval = Duration.ofMinutes(1);

		/**
		 * Whether to watch G1 through JDK Flight Recorder on JDK 17 to 19, whose G1 reports its concurrent
		 * cycles to no MXBean: the cycles' ends, and its mixed collections, whose bases feed the slow trend.
		 * JDK 20 and later tell both in the GC notifications and need no JFR.
		 */
		private boolean jfrForG1 = true;

		/**
		 * How long a collector may go without examining the old generation while the heap grows before
		 * leakwatch asks it to: G1 through its periodic concurrent cycle (G1PeriodicGCInterval), ZGC and
		 * Shenandoah through a concurrent System.gc(). Never on Serial or Parallel. Unset: leakwatch never
		 * changes how the JVM collects.
		 */
		private Duration probeInterval;

		/**
		 * Whether probe-interval may also ask Serial and Parallel, whose only old collection is a full
		 * collection that stops the application for its duration.
		 */
		private boolean probeStopTheWorld;

		public Duration getWarmUp() {
			return this.warmUp;
		}

		public void setWarmUp(Duration warmUp) {
			this.warmUp = warmUp;
		}

		public int getConsecutiveGrowth() {
			return this.consecutiveGrowth;
		}

		public void setConsecutiveGrowth(int consecutiveGrowth) {
			this.consecutiveGrowth = consecutiveGrowth;
		}

		public double getMinStepPercent() {
			return this.minStepPercent;
		}

		public void setMinStepPercent(double minStepPercent) {
			this.minStepPercent = minStepPercent;
		}

		public double getMinGrowthPercent() {
			return this.minGrowthPercent;
		}

		public void setMinGrowthPercent(double minGrowthPercent) {
			this.minGrowthPercent = minGrowthPercent;
		}

		public double getFastGrowthPercent() {
			return this.fastGrowthPercent;
		}

		public void setFastGrowthPercent(double fastGrowthPercent) {
			this.fastGrowthPercent = fastGrowthPercent;
		}

		public int getTrendWindow() {
			return this.trendWindow;
		}

		public void setTrendWindow(int trendWindow) {
			this.trendWindow = trendWindow;
		}

		public double getTrendConfidence() {
			return this.trendConfidence;
		}

		public void setTrendConfidence(double trendConfidence) {
			this.trendConfidence = trendConfidence;
		}

		public Duration getSlowTrendWindow() {
			return this.slowTrendWindow;
		}

		public void setSlowTrendWindow(Duration slowTrendWindow) {
			this.slowTrendWindow = slowTrendWindow;
		}

		public Duration getClearAfter() {
			return this.clearAfter;
		}

		public void setClearAfter(Duration clearAfter) {
			this.clearAfter = clearAfter;
		}

		public int getHistorySize() {
			return this.historySize;
		}

		public void setHistorySize(int historySize) {
			this.historySize = historySize;
		}

		public Duration getProbeInterval() {
			return this.probeInterval;
		}

		public void setProbeInterval(Duration probeInterval) {
			this.probeInterval = probeInterval;
		}

		public Duration getReportInterval() {
			return this.reportInterval;
		}

		public void setReportInterval(Duration reportInterval) {
			this.reportInterval = reportInterval;
		}

		public boolean isProbeStopTheWorld() {
			return this.probeStopTheWorld;
		}

		public void setProbeStopTheWorld(boolean probeStopTheWorld) {
			this.probeStopTheWorld = probeStopTheWorld;
		}

		public boolean isJfrForG1() {
			return this.jfrForG1;
		}

		public void setJfrForG1(boolean jfrForG1) {
			this.jfrForG1 = jfrForG1;
		}

		/**
		 * The core's settings; a bad value fails start-up with the core's message.
		 * @return the settings
		 */
		public DetectorSettings toSettings() {
			return new DetectorSettings(this.warmUp, this.consecutiveGrowth, this.minStepPercent,
					this.minGrowthPercent, this.fastGrowthPercent, this.trendWindow, this.trendConfidence,
					this.slowTrendWindow, this.clearAfter, this.historySize, this.reportInterval,
					(this.probeInterval != null) ? this.probeInterval : Duration.ZERO, this.probeStopTheWorld);
		}

	}

}
