package io.leakwatch.core;

import java.time.Duration;
import java.time.Instant;

/**
 * One detected leak: memwatch's {@code leak} event ({@code growth} and {@code reason}) with the window
 * it was seen over.
 *
 * @param growthBytes how much the base grew over the window, in bytes
 * @param windowStart when the first base sample of the window was taken
 * @param windowEnd when the last base sample of the window was taken
 * @param rateBytesPerHour the growth rate, in bytes per hour
 * @param samples how many base samples the window holds
 * @param rule which rule fired: {@code consecutive} (memwatch's), {@code fast} (two large rises),
 * {@code trend} (Mann-Kendall over the last samples) or {@code slow} (Mann-Kendall over bucket lows)
 * @param reason memwatch's reason, for example
 * {@code heap growth over 5 consecutive GCs (4s) - 110.24 mb/hr}
 * @param startBase the base at the start of the window, in bytes
 * @param endBase the base at the end of the window, in bytes
 * @param stats the stats when the leak was reported
 */
public record LeakReport(long growthBytes, Instant windowStart, Instant windowEnd, double rateBytesPerHour,
		int samples, String rule, String reason, long startBase, long endBase, HeapStats stats) {

	/** The window's length. */
	public Duration duration() {
		return Duration.between(this.windowStart, this.windowEnd);
	}

}
