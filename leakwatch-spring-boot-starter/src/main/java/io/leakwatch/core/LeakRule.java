package io.leakwatch.core;

import java.time.Duration;
import java.time.Instant;

/**
 * Decides, one base sample at a time, whether the live heap keeps growing. Two tests, either of which
 * reports:
 * <ul>
 * <li>memwatch's: the base rose over {@code consecutiveGrowth} consecutive samples, each rise at least
 * {@code minStep}; one sample per run that neither rises nor falls by {@code minStep} does not break the
 * run (it does not count either): a stop-the-world collector's base can stall for one collection in a
 * fast leak (the corpus's unbounded cache under Serial rose 13, 11, 0.1, 9, 9 MB), which memwatch's
 * one-byte step counts as growth and leakwatch's {@code minStep} did not. The last rise must grow at a
 * quarter of the run's average rate or more, as for the fast rule below: the corpus's load spike under
 * ZGC rose 24, 22, 18, 4, 0, 2 MB;</li>
 * <li>memwatch's, faster: two consecutive rises that add up to {@code fastGrowth}, for collectors that
 * examine the old generation only a few times before a fast leak fills the heap, as long as the last
 * rise still grows at a quarter of the window's average rate or more: a load spike raises the live heap
 * once and then holds it, while a leak goes on (the corpus's spike under Parallel rose 51 MB, then
 * 0.6 MB), and the rise has lasted at least five seconds, longer than a batch job's or a spike's ramp;</li>
 * <li>a trend: over the last {@code trendWindow} samples Mann-Kendall finds a rising trend at the
 * configured confidence, which one noisy sample in five does not break.</li>
 * </ul>
 * All need a total growth of at least {@code minGrowth}, so a heap that rises by a few bytes is never
 * a leak, and of at least four times the base's scatter around its trend over the last
 * {@code trendWindow} samples, so a noisy base (a concurrent collector's, which includes what was
 * allocated while the cycle ran) does not pass for a leak when a few samples happen to rise in a row.
 * Finally the base must end at least {@code minGrowth} above the highest base seen before the window:
 * a leak keeps setting new highs, while a flat but noisy base stays within the range it has shown, so
 * testing every window (a repeated test) does not add up to false alarms. After a report the rules
 * start over from the last sample. Not thread-safe: the analyzer calls it from one thread.
 */
final class LeakRule {

	private static final int FAST_CONSECUTIVE = 2;

	/**
	 * How long a fast rise must have lasted: a batch job or a load spike can add a fifth of a small heap
	 * within two or three seconds (the corpus's batch under ZGC: 52, 114, 144 MB within one second),
	 * while a leak keeps rising. Five seconds is a fifth of the time the seed's 10 MB/s takes to fill a
	 * 256 MB heap.
	 */
	private static final long FAST_MIN_MILLIS = 5000;

	/** How many times the scatter a growth must exceed. */
	private static final double NOISE_FACTOR = 4;

	/** Fewer samples than this say nothing about scatter. */
	private static final int MIN_SAMPLES_FOR_SCATTER = 5;

	private final int consecutiveGrowth;

	private final long minStep;

	private final long minGrowth;

	private final long fastGrowth;

	private final double trendZ;

	private final long[] times;

	private final long[] values;

	private int size;

	private int consecutive;

	private long consecutiveStartTime;

	private long consecutiveStartValue;

	/** When the run's first rise was seen: the rise has certainly been going on since then. */
	private long firstRiseTime;

	private int consecutiveSamples;

	/** Whether the current run already had its one stalled sample. */
	private boolean stalled;

	/** Whether the fast rule's conditions held at the run's last counted sample. */
	private boolean fastHeld;

	/** The highest base that has left the window since warm-up, or {@code Long.MIN_VALUE}. */
	private long highWater = Long.MIN_VALUE;

	LeakRule(DetectorSettings settings, long heapMax) {
		this.consecutiveGrowth = settings.consecutiveGrowth();
		this.minStep = Math.round(heapMax * settings.minStepPercent() / 100.0);
		this.minGrowth = Math.max(1, Math.round(heapMax * settings.minGrowthPercent() / 100.0));
		this.fastGrowth = Math.max(this.minGrowth, Math.round(heapMax * settings.fastGrowthPercent() / 100.0));
		this.trendZ = TrendTest.normalQuantile(settings.trendConfidence());
		this.times = new long[settings.trendWindow()];
		this.values = new long[settings.trendWindow()];
	}

	long minStep() {
		return this.minStep;
	}

	long minGrowth() {
		return this.minGrowth;
	}

	/**
	 * Takes a sample from the warm-up: not growth, but a level the base has shown, which a leak must
	 * later rise above.
	 * @param base the base, in bytes
	 */
	void warmUp(long base) {
		this.highWater = Math.max(this.highWater, base);
	}

	/** Starts from no samples when the warm-up ends (again), keeping the levels seen. */
	void endWarmUp() {
		for (int i = 0; i < this.size; i++) {
			this.highWater = Math.max(this.highWater, this.values[i]);
		}
		this.size = 0;
		this.consecutive = 0;
		this.consecutiveSamples = 0;
	}

	/**
	 * Takes one base sample.
	 * @param timeMillis when it was taken
	 * @param base the base, in bytes
	 * @param stats the stats including this sample, for the report
	 * @return the report, or {@code null} when the samples so far show no leak
	 */
	LeakReport accept(long timeMillis, long base, HeapStats stats) {
		long previous = (this.size > 0) ? this.values[this.size - 1] : base;
		append(timeMillis, base);
		LeakReport report = acceptConsecutive(timeMillis, base, previous, stats);
		if (report == null) {
			report = trend(stats);
		}
		if (report != null) {
			startOver(timeMillis, base);
		}
		return report;
	}

	private LeakReport acceptConsecutive(long timeMillis, long base, long previous, HeapStats stats) {
		if (this.consecutiveSamples == 0) {
			restartConsecutive(timeMillis, base);
			return null;
		}
		long step = Math.max(1, this.minStep);
		long previousTime = (this.size > 1) ? this.times[this.size - 2] : timeMillis;
		if (base - previous >= step) {
			if (this.consecutive == 0) {
				this.firstRiseTime = timeMillis;
			}
			this.consecutive++;
			this.consecutiveSamples++;
		}
		else if (base - previous > -step && this.consecutive > 0 && !this.stalled) {
			this.stalled = true;
			this.consecutiveSamples++;
			return null;
		}
		else {
			restartConsecutive(timeMillis, base);
			return null;
		}
		long growth = base - this.consecutiveStartValue;
		boolean growing = stillGrowing(base - previous, timeMillis - previousTime, growth,
				timeMillis - this.consecutiveStartTime);
		boolean lastedLongEnough = timeMillis - this.firstRiseTime >= FAST_MIN_MILLIS;
		boolean memwatch = this.consecutive >= this.consecutiveGrowth && growth >= this.minGrowth && growing
				&& lastedLongEnough;
		boolean fastNow = this.consecutive >= FAST_CONSECUTIVE && growth >= this.fastGrowth && lastedLongEnough
				&& growing;
		boolean fast = fastNow && this.fastHeld;
		this.fastHeld = fastNow;
		if ((memwatch || fast) && aboveScatter(growth) && aboveHighWater(base)) {
			String what = this.consecutive + " consecutive GCs";
			return report(memwatch ? "consecutive" : "fast", what, this.consecutiveStartTime, timeMillis,
					this.consecutiveStartValue, base, growth, this.consecutiveSamples, stats);
		}
		return null;
	}

	private LeakReport trend(HeapStats stats) {
		if (this.size < this.times.length) {
			return null;
		}
		double z = TrendTest.mannKendallZ(this.values, this.size, this.minStep);
		if (z < this.trendZ) {
			return null;
		}
		long first = this.times[0];
		long last = this.times[this.size - 1];
		double slope = TrendTest.theilSenSlope(this.times, this.values, this.size);
		long growth = Math.round(slope * (last - first));
		if (growth < this.minGrowth || this.values[this.size - 1] <= this.values[0] || !aboveScatter(growth)
				|| !aboveHighWater(this.values[this.size - 1]) || !trendKeptRising(growth)) {
			return null;
		}
		return report("trend", this.size + " GCs", first, last, this.values[0], this.values[this.size - 1], growth,
				this.size, stats);
	}

	/**
	 * Whether the window's rise went on long enough and is still going: its last three quarters took at
	 * least {@link #FAST_MIN_MILLIS} (a spike's ramp takes a few seconds, with a sample every half second
	 * under ZGC), and the last base exceeds every base of the window's first half by a quarter of the
	 * growth or more (a spike that ramps up and then holds, however noisily, does not).
	 */
	private boolean trendKeptRising(long growth) {
		long first = this.times[0];
		long last = this.times[this.size - 1];
		long lastBase = this.values[this.size - 1];
		long quarter = this.values[0] + growth / 4;
		long riseStart = first;
		long earlierHigh = Long.MIN_VALUE;
		for (int i = 0; i < this.size - 1; i++) {
			if (this.values[i] <= quarter) {
				riseStart = this.times[i];
			}
			if (last - this.times[i] >= (last - first) / 4) {
				earlierHigh = Math.max(earlierHigh, this.values[i]);
			}
		}
		return last - riseStart >= FAST_MIN_MILLIS
				&& lastBase - earlierHigh >= Math.max(growth / 8, this.minGrowth / 2);
	}

	/** Whether the last rise's rate is at least a quarter of the window's. */
	private static boolean stillGrowing(long lastRise, long lastMillis, long growth, long windowMillis) {
		return 4.0 * lastRise * Math.max(1, windowMillis) >= (double) growth * Math.max(1, lastMillis);
	}

	private boolean aboveHighWater(long base) {
		return this.highWater == Long.MIN_VALUE || base - this.highWater >= this.minGrowth;
	}

	private boolean aboveScatter(long growth) {
		if (this.size < MIN_SAMPLES_FOR_SCATTER) {
			return true;
		}
		return growth >= NOISE_FACTOR * TrendTest.scatter(this.times, this.values, this.size);
	}

	private static LeakReport report(String rule, String what, long startMillis, long endMillis, long startBase,
			long endBase, long growth, int samples, HeapStats stats) {
		long millis = Math.max(1, endMillis - startMillis);
		double perHour = growth * 3_600_000.0 / millis;
		String reason = "heap growth over " + what + " (" + Sizes.duration(Duration.ofMillis(millis)) + ") - "
				+ Sizes.bytes(perHour) + "/hr";
		return new LeakReport(growth, Instant.ofEpochMilli(startMillis), Instant.ofEpochMilli(endMillis), perHour,
				samples, rule, reason, startBase, endBase, stats);
	}

	private void restartConsecutive(long timeMillis, long base) {
		this.consecutive = 0;
		this.stalled = false;
		this.fastHeld = false;
		this.consecutiveSamples = 1;
		this.consecutiveStartTime = timeMillis;
		this.consecutiveStartValue = base;
	}

	private void append(long timeMillis, long base) {
		if (this.size == this.times.length) {
			this.highWater = Math.max(this.highWater, this.values[0]);
			System.arraycopy(this.times, 1, this.times, 0, this.size - 1);
			System.arraycopy(this.values, 1, this.values, 0, this.size - 1);
			this.size--;
		}
		this.times[this.size] = timeMillis;
		this.values[this.size] = base;
		this.size++;
	}

	private void startOver(long timeMillis, long base) {
		for (int i = 0; i < this.size - 1; i++) {
			this.highWater = Math.max(this.highWater, this.values[i]);
		}
		this.size = 0;
		append(timeMillis, base);
		restartConsecutive(timeMillis, base);
	}

}
