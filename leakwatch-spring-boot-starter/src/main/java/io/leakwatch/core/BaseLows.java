package io.leakwatch.core;

/**
 * The lowest base of each stretch of time over a long window, in at most {@link #CAPACITY} equal time
 * buckets: what the slow-leak test of {@link LeakRule} looks at. The short trend window holds the last
 * few samples, which under a collector that samples every few seconds span less than a minute, while a
 * leak of 1 % of the heap per minute needs minutes to add up to a growth worth reporting. Keeping every
 * sample of an hour would cost memory in proportion to the collection rate; a bucket keeps one.
 *
 * <p>
 * Buckets start one second wide and double in width (merging pairs) whenever they are all used, until
 * {@link #CAPACITY} of them cover the window; from then on the oldest are dropped as they leave it. A
 * bucket keeps its lowest base because the base overstates the live heap by whatever the collection
 * could not free (floating garbage of a concurrent cycle, a medium-lived set not yet collected), never
 * understates it: the low points track the live heap, the high points track the load. Not thread-safe.
 */
final class BaseLows {

	/** Buckets kept: enough for the trend test to mean something, few enough to test at every sample. */
	static final int CAPACITY = 32;

	private static final long FIRST_WIDTH_MILLIS = 1000;

	private final long windowMillis;

	private final long[] times = new long[CAPACITY];

	private final long[] values = new long[CAPACITY];

	/** How many samples each bucket took. */
	private final int[] counts = new int[CAPACITY];

	private int size;

	private long origin;

	private long width = FIRST_WIDTH_MILLIS;

	/**
	 * Creates an empty history.
	 * @param windowMillis how far back from the latest sample the buckets reach
	 */
	BaseLows(long windowMillis) {
		this.windowMillis = windowMillis;
	}

	/** Forgets every sample; the next one starts the buckets. */
	void clear() {
		this.size = 0;
		this.width = FIRST_WIDTH_MILLIS;
	}

	/**
	 * Takes one base sample.
	 * @param timeMillis when it was taken, not before the previous one
	 * @param base the base
	 */
	void add(long timeMillis, long base) {
		if (this.size == 0) {
			this.origin = timeMillis;
		}
		if (this.size > 0 && bucket(this.times[this.size - 1]) == bucket(timeMillis)) {
			addToLast(timeMillis, base);
			return;
		}
		int expired = 0;
		while (expired < this.size && timeMillis - this.times[expired] > this.windowMillis) {
			expired++;
		}
		drop(expired);
		while (this.size == CAPACITY) {
			widen();
		}
		if (this.size > 0 && bucket(this.times[this.size - 1]) == bucket(timeMillis)) {
			// Widening merged the new sample's bucket with the last one.
			addToLast(timeMillis, base);
			return;
		}
		this.times[this.size] = timeMillis;
		this.values[this.size] = base;
		this.counts[this.size] = 1;
		this.size++;
	}

	private void addToLast(long timeMillis, long base) {
		int last = this.size - 1;
		this.counts[last]++;
		if (base < this.values[last]) {
			this.times[last] = timeMillis;
			this.values[last] = base;
		}
	}

	/** How many buckets hold a sample. */
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

	private long bucket(long timeMillis) {
		return Math.floorDiv(timeMillis - this.origin, this.width);
	}

	private void drop(int count) {
		if (count > 0) {
			System.arraycopy(this.times, count, this.times, 0, this.size - count);
			System.arraycopy(this.values, count, this.values, 0, this.size - count);
			System.arraycopy(this.counts, count, this.counts, 0, this.size - count);
			this.size -= count;
		}
	}

	/** Doubles the buckets' width, merging each pair into the lower of the two. */
	private void widen() {
		this.width *= 2;
		int merged = 0;
		for (int i = 0; i < this.size; i++) {
			if (merged > 0 && bucket(this.times[merged - 1]) == bucket(this.times[i])) {
				this.counts[merged - 1] += this.counts[i];
				if (this.values[i] < this.values[merged - 1]) {
					this.times[merged - 1] = this.times[i];
					this.values[merged - 1] = this.values[i];
				}
			}
			else {
				this.times[merged] = this.times[i];
				this.values[merged] = this.values[i];
				this.counts[merged] = this.counts[i];
				merged++;
			}
		}
		this.size = merged;
	}

}
