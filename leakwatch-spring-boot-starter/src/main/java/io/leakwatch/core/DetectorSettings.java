package io.leakwatch.core;

import java.time.Duration;
import java.util.Objects;

/**
 * The leak rule's knobs. Sizes are percentages of the maximum heap so one set of defaults suits a
 * 256 MB service and a 32 GB one.
 *
 * @param warmUp how long after start (or after the application reported itself ready) base samples
 * update the stats but are not taken as growth: start-up fills caches and loads classes
 * @param consecutiveGrowth memwatch's hard-coded 5: this many consecutive base samples, each grown by
 * at least {@code minStepPercent}, report a leak
 * @param minStepPercent the smallest rise between two base samples that counts as growth, in percent of
 * the maximum heap (memwatch counted one byte)
 * @param minGrowthPercent the smallest total growth over a window that is reported, in percent of the
 * maximum heap
 * @param fastGrowthPercent a growth this large, in percent of the maximum heap, needs only two
 * consecutive growing samples: collectors that rarely examine the old generation (Parallel, Serial,
 * ZGC) give few samples before a fast leak fills the heap
 * @param trendWindow how many recent base samples the trend test looks at
 * @param trendConfidence the one-sided confidence, in {@code (0.5, 1)}, that the Mann-Kendall test
 * needs before a rising trend counts; it tolerates noisy samples that break consecutive growth
 * @param slowTrendWindow how far back the slow trend looks (the lowest base of each stretch of it): a leak
 * must add {@code minGrowthPercent} within this long to be reported by it
 * @param clearAfter how long the base must stop growing before a suspected leak clears
 * @param historySize how many recent leak reports are kept
 * @param reportInterval the shortest time between two reports: a leak that goes on is reported again
 * after this long, not after every window
 * @param probeInterval when not zero, how long a collector may go without examining the old generation
 * while the heap grows before leakwatch asks it to (see {@link OldGenerationProbe}); zero, the default,
 * never changes how the JVM collects
 * @param probeStopTheWorld whether the probe may also ask Serial and Parallel, whose only old collection
 * is a full stop-the-world collection; off by default
 */
public record DetectorSettings(Duration warmUp, int consecutiveGrowth, double minStepPercent,
		double minGrowthPercent, double fastGrowthPercent, int trendWindow, double trendConfidence,
		Duration slowTrendWindow, Duration clearAfter, int historySize, Duration reportInterval,
		Duration probeInterval, boolean probeStopTheWorld) {

	/** The largest trend window: the test is quadratic in it and runs once per base sample. */
	public static final int MAX_TREND_WINDOW = 256;

	/** The shortest slow trend window: the slow trend is tested once its low points span a minute. */
	public static final Duration MIN_SLOW_TREND_WINDOW = Duration.ofMinutes(2);

	public DetectorSettings {
		Objects.requireNonNull(warmUp, "warmUp");
		Objects.requireNonNull(clearAfter, "clearAfter");
		Objects.requireNonNull(slowTrendWindow, "slowTrendWindow");
		Objects.requireNonNull(probeInterval, "probeInterval");
		Objects.requireNonNull(reportInterval, "reportInterval");
		require(!reportInterval.isNegative(), "reportInterval must not be negative");
		require(!probeInterval.isNegative(), "probeInterval must not be negative");
		require(!warmUp.isNegative(), "warmUp must not be negative");
		require(consecutiveGrowth >= 2, "consecutiveGrowth must be at least 2");
		require(minStepPercent >= 0 && minStepPercent < 100, "minStepPercent must be in [0, 100)");
		require(minGrowthPercent > 0 && minGrowthPercent < 100, "minGrowthPercent must be in (0, 100)");
		require(fastGrowthPercent >= minGrowthPercent && fastGrowthPercent <= 100,
				"fastGrowthPercent must be in [minGrowthPercent, 100]");
		require(trendWindow >= 4 && trendWindow <= MAX_TREND_WINDOW,
				"trendWindow must be in [4, " + MAX_TREND_WINDOW + "]");
		require(trendConfidence > 0.5 && trendConfidence < 1, "trendConfidence must be in (0.5, 1)");
		require(slowTrendWindow.compareTo(MIN_SLOW_TREND_WINDOW) >= 0, "slowTrendWindow must be at least 2 minutes");
		require(!clearAfter.isNegative() && !clearAfter.isZero(), "clearAfter must be positive");
		require(historySize >= 1 && historySize <= 1000, "historySize must be in [1, 1000]");
	}

	/**
	 * The defaults, the same as the {@code leakwatch.detector.*} properties'.
	 * @return the defaults
	 */
	public static DetectorSettings defaults() {
		return new DetectorSettings(Duration.ofSeconds(30), 5, 0.1, 2.0, 20.0, 10, 0.99, Duration.ofHours(1),
				Duration.ofMinutes(10), 20, Duration.ofMinutes(1), Duration.ZERO, false);
	}

	/**
	 * A copy with another warm-up.
	 * @param warmUp the warm-up
	 * @return the copy
	 */
	public DetectorSettings withWarmUp(Duration warmUp) {
		return new DetectorSettings(warmUp, this.consecutiveGrowth, this.minStepPercent, this.minGrowthPercent,
				this.fastGrowthPercent, this.trendWindow, this.trendConfidence, this.slowTrendWindow,
				this.clearAfter, this.historySize, this.reportInterval, this.probeInterval, this.probeStopTheWorld);
	}

	/**
	 * A copy with another probe interval.
	 * @param probeInterval the interval, zero for none
	 * @return the copy
	 */
	public DetectorSettings withProbeInterval(Duration probeInterval) {
		return new DetectorSettings(this.warmUp, this.consecutiveGrowth, this.minStepPercent, this.minGrowthPercent,
				this.fastGrowthPercent, this.trendWindow, this.trendConfidence, this.slowTrendWindow,
				this.clearAfter, this.historySize, this.reportInterval, probeInterval, this.probeStopTheWorld);
	}

	/**
	 * A copy that may or may not probe Serial and Parallel.
	 * @param probeStopTheWorld whether to
	 * @return the copy
	 */
	public DetectorSettings withProbeStopTheWorld(boolean probeStopTheWorld) {
		return new DetectorSettings(this.warmUp, this.consecutiveGrowth, this.minStepPercent, this.minGrowthPercent,
				this.fastGrowthPercent, this.trendWindow, this.trendConfidence, this.slowTrendWindow,
				this.clearAfter, this.historySize, this.reportInterval, this.probeInterval, probeStopTheWorld);
	}

	private static void require(boolean condition, String message) {
		if (!condition) {
			throw new IllegalArgumentException(message);
		}
	}

}
