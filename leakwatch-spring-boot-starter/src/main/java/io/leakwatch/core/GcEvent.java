package io.leakwatch.core;

/**
 * What leakwatch keeps of one garbage collection notification: a few names and byte counts, so the
 * notification thread hands over a small immutable value and nothing of the JMX data.
 *
 * @param gcName the collector bean's name, for example {@code G1 Young Generation}
 * @param gcAction the notification's action, for example {@code end of minor GC}
 * @param gcCause the notification's cause, for example {@code G1 Evacuation Pause}
 * @param endTimeMillis wall-clock time at which the collection ended, in epoch milliseconds
 * @param durationMillis how long the collection took
 * @param heapBefore bytes used in the heap pools the collection reported, before it
 * @param heapAfter bytes used in the heap pools the collection reported, after it
 * @param oldBefore bytes used in the old generation before the collection, or {@code -1} when the
 * collection reported no old-generation pool
 * @param oldAfter bytes used in the old generation after the collection, or {@code -1}
 */
public record GcEvent(String gcName, String gcAction, String gcCause, long endTimeMillis, long durationMillis,
		long heapBefore, long heapAfter, long oldBefore, long oldAfter) {

	/** Whether the collection reported an old-generation pool. */
	public boolean hasOldGeneration() {
		return this.oldAfter >= 0;
	}

	/** Bytes the collection freed across every heap pool it reported, never negative. */
	public long reclaimed() {
		return Math.max(0, this.heapBefore - this.heapAfter);
	}

}
