package io.leakwatch.core;

/**
 * memwatch's {@code stats}, with 64-bit byte counts and a signed trend.
 *
 * @param numFullGc collections that examined the old generation (full, mixed, concurrent old cycles)
 * @param numIncGc young (incremental) collections
 * @param heapCompactions old collections that moved objects
 * @param usageTrend how far the recent base average lies above (positive) or below (negative) the long
 * average, in percent
 * @param estimatedBase exponential moving average of the base over the last 10 samples, in bytes
 * @param currentBase the last base sample, in bytes
 * @param min the smallest base seen, in bytes, or {@code -1} before the third sample
 * @param max the largest base seen, in bytes, or {@code -1} before the third sample
 * @param baseSamples how many base samples the stats are built from
 * @param heapMax the maximum heap, in bytes, or {@code -1} when the JVM sets none
 * @param lastSampleMillis epoch milliseconds of the last base sample, or {@code 0} before the first
 */
public record HeapStats(long numFullGc, long numIncGc, long heapCompactions, double usageTrend, long estimatedBase,
		long currentBase, long min, long max, long baseSamples, long heapMax, long lastSampleMillis) {

	/** The stats before any collection. */
	public static HeapStats empty(long heapMax) {
		return new HeapStats(0, 0, 0, 0.0, 0, 0, -1, -1, 0, heapMax, 0);
	}

}
