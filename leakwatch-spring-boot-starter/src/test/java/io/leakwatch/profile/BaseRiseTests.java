package io.leakwatch.profile;

import io.leakwatch.core.HeapStats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When an always-on profiler's stack traces start and stop: new highs of the base, and how long they hold. */
class BaseRiseTests {

	private static final long MB = 1L << 20;

	private static final long MINUTE = 60_000;

	private final BaseRise rise = new BaseRise();

	@Test
	void aNewHighOfOnePercentOfTheHeapStartsARiseThatHoldsTenMinutes() {
		long max = 1024 * MB;
		assertThat(this.rise.accept(stats(200 * MB, 0, max))).as("the first sample is a reference").isFalse();
		assertThat(this.rise.accept(stats(205 * MB, MINUTE, max))).as("below 1 % of the heap").isFalse();
		assertThat(this.rise.accept(stats(150 * MB, 2 * MINUTE, max))).isFalse();
		assertThat(this.rise.accept(stats(211 * MB, 3 * MINUTE, max))).as("11 MB above the highest").isTrue();
		assertThat(this.rise.accept(stats(180 * MB, 12 * MINUTE, max))).as("within ten minutes").isTrue();
		assertThat(this.rise.accept(stats(200 * MB, 13 * MINUTE, max))).as("ten minutes without a new high").isFalse();
		assertThat(this.rise.accept(stats(215 * MB, 14 * MINUTE, max))).as("4 MB above the highest").isFalse();
		assertThat(this.rise.accept(stats(222 * MB, 15 * MINUTE, max))).isTrue();
	}

	@Test
	void aSteadyLeakKeepsItRising() {
		long max = 256 * MB;
		long base = 50 * MB;
		this.rise.accept(stats(base, 0, max));
		for (int minute = 1; minute <= 30; minute++) {
			base += 3 * MB;
			assertThat(this.rise.accept(stats(base, minute * MINUTE, max))).isTrue();
		}
	}

	@Test
	void withoutAMaximumHeapTheStepIsOnePercentOfTheHighestBaseAndAtLeastOneMegabyte() {
		assertThat(this.rise.accept(stats(10 * MB, 0, -1))).isFalse();
		assertThat(this.rise.accept(stats(10 * MB + MB / 2, MINUTE, -1))).isFalse();
		assertThat(this.rise.accept(stats(11 * MB, 2 * MINUTE, -1))).isTrue();
		BaseRise large = new BaseRise();
		large.accept(stats(1000 * MB, 0, -1));
		assertThat(large.accept(stats(1009 * MB, MINUTE, -1))).isFalse();
		assertThat(large.accept(stats(1010 * MB, 2 * MINUTE, -1))).isTrue();
	}

	private static HeapStats stats(long base, long millis, long heapMax) {
		return new HeapStats(1, 1, 0, 0, base, base, base, base, 3, heapMax, millis);
	}

}
