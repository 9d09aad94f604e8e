package io.leakwatch.profile;

import java.time.Duration;

import io.leakwatch.core.HeapStats;

/**
 * Whether the live heap is rising to new highs, the moment an always-on profiler starts recording
 * stack traces: a leak keeps raising its base above anything seen before, while a healthy service's
 * base, once warmed up, stays within the range it has shown. A new high counts when the base passes the
 * highest one seen by at least 1 % of the maximum heap (at least 1 MB), and the heap counts as rising
 * until {@link #HOLD} has passed without another one, long enough for the detector to report a leak
 * (minutes) and for a slow leak's next high to come. Fed from one thread; not thread-safe.
 */
final class BaseRise {

	static final Duration HOLD = Duration.ofMinutes(10);

	private static final long MIN_STEP = 1L << 20;

	private long highest = -1;

	private long lastHighMillis;

	private boolean rising;

	/**
	 * Takes the next base sample.
	 * @param stats the detector's stats after it
	 * @return whether the heap is rising now
	 */
	boolean accept(HeapStats stats) {
		long base = stats.currentBase();
		long now = stats.lastSampleMillis();
		if (this.highest < 0) {
			this.highest = base; // the first sample is a reference, not a rise
			return false;
		}
		long reference = (stats.heapMax() > 0) ? stats.heapMax() : this.highest;
		if (base >= this.highest + Math.max(MIN_STEP, reference / 100)) {
			this.highest = base;
			this.lastHighMillis = now;
			this.rising = true;
		}
		else if (this.rising && now - this.lastHighMillis >= HOLD.toMillis()) {
			this.rising = false;
		}
		return this.rising;
	}

}
