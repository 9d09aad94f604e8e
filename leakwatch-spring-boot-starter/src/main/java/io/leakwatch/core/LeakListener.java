package io.leakwatch.core;

/**
 * Receives memwatch's two events. Called on the detector's own thread, never on the JVM's
 * notification thread, one call at a time.
 */
public interface LeakListener {

	/**
	 * After every base sample (memwatch's {@code stats}).
	 * @param stats the stats
	 */
	default void onStats(HeapStats stats) {
	}

	/**
	 * When the rule reports a leak (memwatch's {@code leak}).
	 * @param report the report
	 */
	default void onLeak(LeakReport report) {
	}

}
