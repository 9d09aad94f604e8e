package io.leakwatch.core;

/**
 * The lowest base of each stretch of time over a long window, in {@link #BUCKETS} equal time buckets
 * plus the one still open: what the slow-leak test of {@link LeakRule} looks at. The short trend window
 * holds the last few samples, which under a collector that samples every few seconds span less than a
 * minute, while a leak of 1 % of the heap per minute needs minutes to add up to a growth worth
 * reporting. Keeping every sample of an hour would cost memory in proportion to the collection rate; a
 * bucket keeps one.
 *
 * <p>
 * A bucket keeps its lowest base because the base overstates the live heap by whatever the collection
 * could not free (floating garbage of a concurrent cycle, old objects a G1 Remark still counts until the
 * mixed collections after it free them), never understates it: the low points track the live heap, the
 * high points track the load. That holds only when a bucket is wide enough to hold a low sample: G1 on
 * JDK 25 alternates Remark bases up to 30 MB above the mixed collections' within ten seconds, so a
 * bucket is a sixteenth of the window, 14 s for the shortest window of the default hour. Not
 * thread-safe.
 */
final class BaseLows {

	/** Closed buckets a window holds: enough for the trend test to mean something, few enough to test often. */
	static final int BUCKETS = 16;

	private final long width;

	private final long[] times = new long[BUCKETS + 1];

	private final long[] values = new long[BUCKETS + 1];

	/** How many samples each bucket took. */
	private final int[] counts = new int[BUCKETS + 1];

	private int size;

	private long origin;

	/** See {@link #highWater()}; {@code Long.MIN_VALUE} until a bucket leaves or a restart. */
	private long highWater = Long.MIN_VALUE;

	/**
	 * Creates an empty history.
	 * @param windowMillis how long the closed buckets span together
	 */
	BaseLows(long windowMillis) {
		this.width = Math.max(1, windowMillis / BUCKETS);
	}

	/**
	 * Starts again from no buckets, as when the warm-up ends or after a report: the closed buckets' lows
	 * become levels the base has shown ({@link #highWater()}), each held to the low after it (the open
	 * bucket's for the last); the open bucket is dropped.
	 */
	void restart() {
		for (int i = 0; i < this.size - 1; i++) {
			raiseHighWater(this.values[i], this.values[i + 1]);
		}
		this.size = 0;
	}

	/**
	 * Takes one base sample.
	 * @param timeMillis when it was taken; one taken before the previous one (a G1 mixed collection,
	 * which JFR delivers about a second late) counts as taken with it
	 * @param base the base
	 */
	void add(long timeMillis, long base) {
		if (this.size == 0) {
			this.origin = timeMillis;
		}
		else {
			timeMillis = Math.max(timeMillis, this.times[this.size - 1]);
		}
		long bucket = bucket(timeMillis);
		int last = this.size - 1;
		if (last >= 0 && bucket(this.times[last]) == bucket) {
			this.counts[last]++;
			if (base < this.values[last]) {
				this.times[last] = timeMillis;
				this.values[last] = base;
			}
			return;
		}
		int expired = 0;
		while (expired < this.size && bucket(this.times[expired]) <= bucket - BUCKETS - 1) {
			expired++;
		}
		for (int i = 0; i < expired; i++) {
			raiseHighWater(this.values[i], (i + 1 < this.size) ? this.values[i + 1] : base);
		}
		if (expired > 0) {
			System.arraycopy(this.times, expired, this.times, 0, this.size - expired);
			System.arraycopy(this.values, expired, this.values, 0, this.size - expired);
			System.arraycopy(this.counts, expired, this.counts, 0, this.size - expired);
			this.size -= expired;
		}
		this.times[this.size] = timeMillis;
		this.values[this.size] = base;
		this.counts[this.size] = 1;
		this.size++;
	}

	/**
	 * The highest level that two successive bucket lows both showed, of the closed buckets that left the
	 * window or were there at a {@link #restart()}: a level the base held before the window, which a leak
	 * must rise above, while a base that rises and falls with a load of its own (an hourly job's cache)
	 * does not at its next rise. A single bucket's low does not count alone: it is the lowest of that
	 * bucket's bases, which overstate the live heap when the bucket holds none of the collections that free
	 * the most. While G1 sized its heap in one run of the corpus's slow leak on JDK 25, bases of 111-142 MB
	 * (most likely the first mixed collections of a phase) came between bases of 64-72 MB with no other in
	 * 19 s; a bucket that held only those, taken alone for a level shown, keeps the slow trend quiet until
	 * the leak passes it ({@code LeakAnalyzerTests} has that shape), and that run's leak went unreported
	 * for 400 s.
	 * @return the level, or {@code Long.MIN_VALUE} when no bucket has left yet
	 */
	long highWater() {
		return this.highWater;
	}

	/** How many buckets hold a sample, the open one included. */
	int size() {
		return this.size;
	}

	/**
	 * How many samples the first buckets took.
	 * @param buckets how many buckets, from the oldest
	 * @return the samples
	 */
	int samples(int buckets) {
		int sum = 0;
		for (int i = 0; i < buckets; i++) {
			sum += this.counts[i];
		}
		return sum;
	}

	/** The time of each bucket's lowest base, oldest first; only the first {@link #size()} count. */
	long[] times() {
		return this.times;
	}

	/** Each bucket's lowest base, oldest first; only the first {@link #size()} count. */
	long[] values() {
		return this.values;
	}

	/** Raises the high water to a bucket's low as far as the next low (or base) after it also reached. */
	private void raiseHighWater(long low, long next) {
		this.highWater = Math.max(this.highWater, Math.min(low, next));
	}

	private long bucket(long timeMillis) {
		return Math.floorDiv(timeMillis - this.origin, this.width);
	}

}
