package io.leakwatch.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Decides, one base sample at a time, whether the live heap keeps growing. Four tests, any of which
 * reports:
 * <ul>
 * <li>memwatch's: the base rose over {@code consecutiveGrowth} consecutive samples, each rise at least
 * {@code minStep}; one sample per run that neither rises nor falls by {@code minStep} does not break the
 * run (it does not count either): a stop-the-world collector's base can stall for one collection in a
 * fast leak (the corpus's unbounded cache under Serial rose 13, 11, 0.1, 9, 9 MB), which memwatch's
 * one-byte step counts as growth and leakwatch's {@code minStep} did not. The last rise must grow at a
 * quarter of the run's average rate or more (the corpus's load spike under ZGC rose 24, 22, 18, 4, 0,
 * 2 MB);</li>
 * <li>memwatch's, faster: two consecutive rises that add up to {@code fastGrowth}, for collectors that
 * examine the old generation only a few times before a fast leak fills the heap, as long as the last
 * rise still grows at half the run's average rate or more: a load spike raises the live heap and then
 * holds it, its last rise a fraction of its first (the corpus's spike under Serial: 60 MB, then 6 MB at
 * 28 % of the pace), while a leak keeps its pace (80-100 % in the corpus's leaks under Serial);</li>
 * <li>a trend: over the last {@code trendWindow} samples Mann-Kendall finds a rising trend at the
 * configured confidence, which one noisy sample in five does not break, and the last quarter of the
 * window still sets new highs;</li>
 * <li>a slow trend: the same test on the lowest base of each sixteenth of a window ({@link BaseLows}),
 * the open one left out, once ten of them span a minute, for a leak too slow to add up to
 * {@code minGrowth} within the last {@code trendWindow} samples: under ZGC those span 7 s, in which the
 * corpus's leak of 1 % of the heap per minute adds 0.1 %. Under G1 only its mixed and full collections
 * feed it ({@link CollectorModel#suitsSlowTrend}). Three windows are tested,
 * {@code slowTrendWindow} and a quarter and a sixteenth of it, so that a leak that begins after hours of
 * a flat base is seen within minutes rather than once it fills most of an hour's window. The later half
 * of a window must sit higher than its earlier half by a quarter of the growth (a steady rise: half of
 * it), its last quarter must still set new highs, which a cache that warmed up and then levelled off
 * does not, and its last two lows must both exceed by {@code minGrowth} the highest level two successive
 * lows held before the window (the warm-up's included), which a base that rises and falls with a load of
 * its own does not at its next rise.</li>
 * </ul>
 * Each needs the rise to have lasted: the last three quarters of its growth took five seconds or more
 * ({@link #riseMillis}), longer than the ramp of a load spike or a batch, which a collector that samples
 * every half second sees as a run of rises (memwatch's rule may instead count twice its rises in a row).
 * A run stops at a rise that crawls after a climb (below a quarter of the run's pace so far), the
 * rise right after a stalled sample never completes a report: on a plateau, one concurrent cycle that
 * caught much in-flight allocation jumps and falls back, and nor does a rise that leaps at more than
 * eight times the run's pace before it ({@link #leaps}): a batch held across one full collection.
 * All need a total growth of at least {@code minGrowth}, so a heap that rises by a few bytes is never
 * a leak, and of at least four times the base's scatter around its trend over the last
 * {@code trendWindow} samples, so a noisy base (a concurrent collector's, which includes what was
 * allocated while the cycle ran) does not pass for a leak when a few samples happen to rise in a row.
 * Finally the base must end at least {@code minGrowth} above the highest base seen before the window:
 * a leak keeps setting new highs, while a flat but noisy base stays within the range it has shown, so
 * testing every window (a repeated test) does not add up to false alarms. After a report the rules
 * start over from the last sample. A sample within {@link #MIN_SPACING_MILLIS} of the previous one is
 * skipped. Not thread-safe: the analyzer calls it from one thread.
 *
 * <p>
 * The corpus's recorded runs ({@code CorpusBenchmark --record}) can be replayed against a changed rule
 * with {@code RuleReplay} (test sources), which is how each of these conditions was checked against
 * every collector's real sequences.
 */
final class LeakRule {

	private static final int FAST_CONSECUTIVE = 2;

	/**
	 * Samples closer than this to the previous one are skipped. Collections that run back to back say
	 * nothing more about growth over time than the first of them, and counted as samples they stall every
	 * run of rises: Shenandoah's adaptive heuristics runs five learning cycles within 30 ms once free
	 * memory falls below its threshold, and G1's concurrent cycle, seen through JFR, can end in the same
	 * millisecond as another sample.
	 */
	static final long MIN_SPACING_MILLIS = 50;

	/**
	 * How long the last three quarters of a rise must have taken: a batch job or a load spike can add a
	 * fifth of a small heap within two or three seconds (the corpus's batch under ZGC: 52, 114, 144 MB
	 * within one second), while a leak keeps rising. Five seconds is a fifth of the time the seed's
	 * 10 MB/s takes to fill a 256 MB heap.
	 */
	private static final long MIN_RISE_MILLIS = 5000;

	/** How many times the pace of the rise before it the last rise of a run may have. */
	private static final double MAX_ACCELERATION = 8;

	/** How many times the scatter a growth must exceed. */
	private static final double NOISE_FACTOR = 4;

	/** Fewer samples than this say nothing about scatter. */
	private static final int MIN_SAMPLES_FOR_SCATTER = 5;

	/**
	 * How long the slow trend's low points must span before it is tested: the other rules cover anything
	 * shorter, and a minute of bucket lows is past any load spike's or batch's ramp.
	 */
	private static final long SLOW_MIN_MILLIS = 60_000;

	/** How many bucket lows the slow trend needs at least. */
	private static final int SLOW_MIN_BUCKETS = 10;

	/** The slow trend's windows: {@code slowTrendWindow} divided by each of these. */
	private static final int[] SLOW_WINDOW_DIVISORS = { 16, 4, 1 };

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

	private int consecutiveSamples;

	/** Whether the current run already had its one stalled sample. */
	private boolean stalled;

	/**
	 * Whether the last sample stalled: the rise after a stall alone never completes a report, since on a
	 * plateau one concurrent cycle that caught much in-flight allocation jumps and falls back (the corpus's
	 * spike under Shenandoah: 81, 86.4, 86.6, 112, then 87 MB), while a leak rises again.
	 */
	private boolean afterStall;

	/** When the last warm-up base was taken, for {@link #endWarmUp}. */
	private long lastWarmUpTime;

	/** The last warm-up base, or {@code Long.MIN_VALUE} when none came since the warm-up last ended. */
	private long lastWarmUpBase = Long.MIN_VALUE;

	/**
	 * Whether the window's first sample is the last warm-up base ({@link #endWarmUp}), which the trend test
	 * leaves out: ten samples that start in the warm-up can catch the end of a start-up's climb (the corpus's
	 * cache that warms up and levels off, under ZGC: 64 MB at the warm-up's last base, 62 to 72 MB after).
	 */
	private boolean warmUpBaseInWindow;

	/** The highest base that has left the window since warm-up, or {@code Long.MIN_VALUE}. */
	private long highWater = Long.MIN_VALUE;

	/** The slow trend's low points, shortest window first. */
	private final BaseLows[] lows;

	LeakRule(DetectorSettings settings, long heapMax) {
		this.consecutiveGrowth = settings.consecutiveGrowth();
		this.minStep = Math.round(heapMax * settings.minStepPercent() / 100.0);
		this.minGrowth = Math.max(1, Math.round(heapMax * settings.minGrowthPercent() / 100.0));
		this.fastGrowth = Math.max(this.minGrowth, Math.round(heapMax * settings.fastGrowthPercent() / 100.0));
		this.trendZ = TrendTest.normalQuantile(settings.trendConfidence());
		this.times = new long[settings.trendWindow()];
		this.values = new long[settings.trendWindow()];
		this.lows = slowWindows(settings.slowTrendWindow().toMillis());
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
	 * @param timeMillis when it was taken
	 * @param base the base, in bytes
	 * @param slowTrend whether it feeds the slow trend
	 */
	void warmUp(long timeMillis, long base, boolean slowTrend) {
		this.highWater = Math.max(this.highWater, base);
		this.lastWarmUpTime = timeMillis;
		this.lastWarmUpBase = base;
		if (slowTrend) {
			addLow(timeMillis, base);
		}
	}

	/**
	 * Adds a base to the slow trend's windows only, testing nothing: a warm-up base, or in the warm-up a
	 * G1 mixed collection's (whose notification came as a base already).
	 * @param timeMillis when it was taken
	 * @param base the base, in bytes
	 */
	void addLow(long timeMillis, long base) {
		for (BaseLows window : this.lows) {
			window.add(timeMillis, base);
		}
	}

	/**
	 * Takes a base that feeds only the slow trend (a G1 mixed collection's, whose notification came as a
	 * base already), and tests the slow trend.
	 * @param timeMillis when it was taken
	 * @param base the base, in bytes
	 * @param stats the stats now, for the report
	 * @return the report, or {@code null}
	 */
	LeakReport acceptLow(long timeMillis, long base, HeapStats stats) {
		addLow(timeMillis, base);
		LeakReport report = slowTrends(stats);
		if (report != null) {
			startOver(timeMillis, base);
		}
		return report;
	}

	/**
	 * Starts again when the warm-up ends (again), keeping the levels seen, from the last warm-up base: not
	 * growth, but the reference the first base after the warm-up rises from. A leak that runs when the
	 * warm-up ends (one there from the first request) is then reported at memwatch's fifth rise, not a
	 * sample later, and a fast one at its second rise: in the recorded corpus runs, where every leak starts
	 * as the warm-up ends, Shenandoah's leaks came at 8-10 s instead of 12-30 s, with no false alarm in the
	 * 242 non-leaking runs. A rise from it must still clear every warm-up level by {@code minGrowthPercent}.
	 */
	void endWarmUp() {
		for (int i = 0; i < this.size; i++) {
			this.highWater = Math.max(this.highWater, this.values[i]);
		}
		this.size = 0;
		this.warmUpBaseInWindow = false;
		this.consecutive = 0;
		this.consecutiveSamples = 0;
		restartLows();
		if (this.lastWarmUpBase != Long.MIN_VALUE) {
			append(this.lastWarmUpTime, this.lastWarmUpBase);
			this.warmUpBaseInWindow = true;
			restartConsecutive(this.lastWarmUpTime, this.lastWarmUpBase);
			this.lastWarmUpBase = Long.MIN_VALUE;
		}
	}

	/**
	 * Takes one base sample, unless it came within {@link #MIN_SPACING_MILLIS} of the previous one (or
	 * before it).
	 * @param timeMillis when it was taken
	 * @param base the base, in bytes
	 * @param slowTrend whether it feeds the slow trend: G1's bases do not, but for its full collections'
	 * (see {@link CollectorModel#suitsSlowTrend}; its mixed collections' come through {@link #acceptLow})
	 * @param stats the stats including this sample, for the report
	 * @return the report, or {@code null} when the samples so far show no leak
	 */
	LeakReport accept(long timeMillis, long base, boolean slowTrend, HeapStats stats) {
		if (this.size > 0 && timeMillis - this.times[this.size - 1] < MIN_SPACING_MILLIS) {
			return null;
		}
		long previous = (this.size > 0) ? this.values[this.size - 1] : base;
		append(timeMillis, base);
		if (slowTrend) {
			addLow(timeMillis, base);
		}
		LeakReport report = acceptConsecutive(timeMillis, base, previous, stats);
		if (report == null) {
			report = trend(stats);
		}
		if (report == null) {
			report = slowTrends(stats);
		}
		if (report != null) {
			startOver(timeMillis, base);
		}
		return report;
	}

	/** The first of the slow trend's windows, shortest first, that shows a leak, or {@code null}. */
	private LeakReport slowTrends(HeapStats stats) {
		LeakReport report = null;
		for (int i = 0; i < this.lows.length && report == null; i++) {
			report = slowTrend(this.lows[i], stats);
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
			if (this.consecutive > 0 && !keepsPace(base - previous, timeMillis - previousTime,
					previous - this.consecutiveStartValue, previousTime - this.consecutiveStartTime, 4)) {
				// A crawl after a climb: the run stopped, and this rise starts a new one. A spike's ramp levels
				// off, then one concurrent cycle that caught much in-flight allocation jumps (the corpus's spike
				// under Shenandoah: 44, 81, 86.4, 86.7, 112, then 87 MB).
				restartConsecutive(previousTime, previous);
			}
			this.consecutive++;
			this.consecutiveSamples++;
		}
		else if (base - previous > -step && this.consecutive > 0 && !this.stalled) {
			this.stalled = true;
			this.afterStall = true;
			this.consecutiveSamples++;
			return null;
		}
		else {
			restartConsecutive(timeMillis, base);
			return null;
		}
		long growth = base - this.consecutiveStartValue;
		long lastRise = base - previous;
		long lastMillis = timeMillis - previousTime;
		long windowMillis = timeMillis - this.consecutiveStartTime;
		boolean lastedLongEnough = riseMillis(runStart()) >= MIN_RISE_MILLIS;
		boolean memwatch = this.consecutive >= this.consecutiveGrowth && growth >= this.minGrowth
				&& keepsPace(lastRise, lastMillis, growth, windowMillis, 4)
				&& (lastedLongEnough || this.consecutive >= 2 * this.consecutiveGrowth);
		boolean fast = this.consecutive >= FAST_CONSECUTIVE && growth >= this.fastGrowth && lastedLongEnough
				&& keepsPace(lastRise, lastMillis, growth, windowMillis, 2);
		boolean confirmed = !this.afterStall;
		this.afterStall = false;
		boolean leap = leaps(lastRise, lastMillis, previous - this.consecutiveStartValue,
				previousTime - this.consecutiveStartTime);
		if ((memwatch || fast) && confirmed && !leap && aboveScatter(growth) && aboveHighWater(base)) {
			String what = this.consecutive + " consecutive GCs";
			return report(memwatch ? "consecutive" : "fast", what, this.consecutiveStartTime, timeMillis,
					this.consecutiveStartValue, base, growth, this.consecutiveSamples, stats);
		}
		return null;
	}

	private LeakReport trend(HeapStats stats) {
		if (this.size < this.times.length || this.warmUpBaseInWindow) {
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

	private LeakReport slowTrend(BaseLows window, HeapStats stats) {
		// The last bucket is still open: its low may be a single base, as high as the base gets.
		int count = window.size() - 1;
		long[] lowTimes = window.times();
		long[] lowValues = window.values();
		if (count < SLOW_MIN_BUCKETS || lowTimes[count - 1] - lowTimes[0] < SLOW_MIN_MILLIS) {
			return null;
		}
		if (TrendTest.mannKendallZ(lowValues, count, this.minStep) < this.trendZ) {
			return null;
		}
		long first = lowTimes[0];
		long last = lowTimes[count - 1];
		long lastLow = lowValues[count - 1];
		long growth = Math.round(TrendTest.theilSenSlope(lowTimes, lowValues, count) * (last - first));
		double halves = TrendTest.median(lowValues, count / 2, count) - TrendTest.median(lowValues, 0, count / 2);
		// Levels held by two successive lows on both sides (BaseLows#highWater): a low overstates the live heap
		// by what its bucket's collections left, so one low alone is neither a level shown nor one reached.
		long heldLow = Math.min(lowValues[count - 2], lastLow);
		boolean aboveEarlierLows = window.highWater() == Long.MIN_VALUE
				|| heldLow - window.highWater() >= this.minGrowth;
		boolean stillRising = lastLow - highBefore(lowTimes, lowValues, count, last - (last - first) / 4) >= growth / 8;
		if (growth < this.minGrowth || growth < NOISE_FACTOR * TrendTest.scatter(lowTimes, lowValues, count)
				|| halves < growth / 4.0 || !aboveEarlierLows || !stillRising) {
			return null;
		}
		int samples = window.samples(count);
		return report("slow", samples + " GCs", first, last, lowValues[0], lastLow, growth, samples, stats);
	}

	/** The highest of the first {@code count} values whose time is at or before {@code time}. */
	private static long highBefore(long[] times, long[] values, int count, long time) {
		long high = Long.MIN_VALUE;
		for (int i = 0; i < count && times[i] <= time; i++) {
			high = Math.max(high, values[i]);
		}
		return high;
	}

	private static BaseLows[] slowWindows(long windowMillis) {
		return Arrays.stream(SLOW_WINDOW_DIVISORS)
			.mapToLong((divisor) -> windowMillis / divisor)
			.filter((millis) -> millis >= DetectorSettings.MIN_SLOW_TREND_WINDOW.toMillis())
			.mapToObj(BaseLows::new)
			.toArray(BaseLows[]::new);
	}

	private void restartLows() {
		for (BaseLows window : this.lows) {
			window.restart();
		}
	}

	/**
	 * Whether the window's rise went on long enough and is still going: its last three quarters took at
	 * least {@link #MIN_RISE_MILLIS} (a spike's ramp takes a few seconds, with a sample every half second
	 * under ZGC), and the last base exceeds every base older than the window's last quarter by an eighth
	 * of the growth or more (a spike that ramps up and then holds, however noisily, does not: the corpus's
	 * spike under Shenandoah, 10 to 86 MB, then 84.7-86.2 MB; under ZGC, 24 to 86 MB, then 82-88 MB).
	 */
	private boolean trendKeptRising(long growth) {
		long first = this.times[0];
		long last = this.times[this.size - 1];
		long lastBase = this.values[this.size - 1];
		long earlierHigh = highBefore(this.times, this.values, this.size - 1, last - (last - first) / 4);
		return riseMillis(0) >= MIN_RISE_MILLIS
				&& lastBase - earlierHigh >= growth / 8;
	}

	/**
	 * How long the last three quarters of the growth since the window's sample {@code from} took, the time
	 * the base crossed a quarter of the growth interpolated between the two samples around it. A spike's
	 * or a batch's ramp takes a few seconds however its samples fall (the corpus's spike under ZGC: a sample
	 * every half second, 24 to 86 MB within 3.8 s; under Shenandoah, 10 to 86 MB with most of the ramp
	 * between two samples 3.5 s apart: 4.1 s), while the first rise of a leak seen by Serial or Parallel,
	 * whose samples are tens of seconds apart, is spread over the time between them.
	 */
	private long riseMillis(int from) {
		int last = this.size - 1;
		long quarter = this.values[from] + (this.values[last] - this.values[from]) / 4;
		int below = from;
		for (int i = from; i < last; i++) {
			if (this.values[i] <= quarter) {
				below = i;
			}
		}
		long t0 = this.times[below];
		long v0 = this.values[below];
		long t1 = this.times[below + 1];
		long v1 = this.values[below + 1];
		double crossing = (v1 > v0) ? t0 + (double) (quarter - v0) / (v1 - v0) * (t1 - t0) : t0;
		return Math.round(this.times[last] - Math.min(crossing, t1));
	}

	/**
	 * Whether the last rise came at more than {@link #MAX_ACCELERATION} times the pace of the run before
	 * it: a sample that holds most of the growth is one observation, which a batch job held across a full
	 * collection gives as well as a leak. The corpus's batch under Serial crept 2.5 MB in 15 s, then rose
	 * 121 MB in the next sample 7.5 s later (95 times the pace), which the rise's interpolated time took
	 * for a rise that lasted; its leaks kept within 5.2 times (bursts of 24 MB under JDK 25's G1), seen by
	 * Shenandoah, whose samples come seconds apart, within 4.5 times.
	 */
	private static boolean leaps(long lastRise, long lastMillis, long riseBefore, long millisBefore) {
		return (double) lastRise * Math.max(1, millisBefore) > MAX_ACCELERATION * (double) Math.max(0, riseBefore)
				* Math.max(1, lastMillis);
	}

	/** The index in the window of the current run's first sample, 0 when the run began before it. */
	private int runStart() {
		for (int i = this.size - 1; i >= 0; i--) {
			if (this.times[i] <= this.consecutiveStartTime) {
				return i;
			}
		}
		return 0;
	}

	/** Whether the last rise's rate is at least the given fraction ({@code 1 / divisor}) of the window's. */
	private static boolean keepsPace(long lastRise, long lastMillis, long growth, long windowMillis, int divisor) {
		return (double) divisor * lastRise * Math.max(1, windowMillis) >= (double) growth * Math.max(1, lastMillis);
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
		this.afterStall = false;
		this.consecutiveSamples = 1;
		this.consecutiveStartTime = timeMillis;
		this.consecutiveStartValue = base;
	}

	private void append(long timeMillis, long base) {
		if (this.size == this.times.length) {
			this.warmUpBaseInWindow = false;
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
		this.warmUpBaseInWindow = false;
		append(timeMillis, base);
		restartConsecutive(timeMillis, base);
		restartLows();
	}

}
