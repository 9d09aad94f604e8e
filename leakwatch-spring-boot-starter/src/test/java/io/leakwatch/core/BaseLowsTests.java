package io.leakwatch.core;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BaseLowsTests {

	@Test
	void aBucketKeepsItsLowestBase() {
		BaseLows lows = new BaseLows(3_600_000);
		lows.add(10_000, 50);
		lows.add(10_400, 30);
		lows.add(10_900, 40);
		lows.add(11_000, 60);
		assertThat(lows.size()).isEqualTo(2);
		assertThat(lows.samples(1)).isEqualTo(3);
		assertThat(lows.samples(2)).isEqualTo(4);
		assertThat(Arrays.copyOf(lows.times(), 2)).containsExactly(10_400, 11_000);
		assertThat(Arrays.copyOf(lows.values(), 2)).containsExactly(30, 60);
	}

	@Test
	void fullBucketsMergeInPairsKeepingTheLowerOfEach() {
		BaseLows lows = new BaseLows(3_600_000);
		// One sample a second for ten minutes, each a new low for its second, falling every minute by 100.
		for (int second = 0; second < 600; second++) {
			lows.add(second * 1000L, 10_000 - (second / 60) * 100 + (second % 60));
		}
		// 16-second buckets would take 38 for ten minutes, so they are 32 seconds wide: 19 of them.
		assertThat(lows.size()).isEqualTo(19);
		assertThat(lows.samples(19)).isEqualTo(600);
		assertThat(lows.samples(1)).isEqualTo(32);
		long[] values = Arrays.copyOf(lows.values(), lows.size());
		long[] times = Arrays.copyOf(lows.times(), lows.size());
		for (int bucket = 0; bucket < 19; bucket++) {
			long lowest = Long.MAX_VALUE;
			long lowestTime = 0;
			for (int second = bucket * 32; second < Math.min(600, bucket * 32 + 32); second++) {
				long value = 10_000 - (second / 60) * 100 + (second % 60);
				if (value < lowest) {
					lowest = value;
					lowestTime = second * 1000L;
				}
			}
			assertThat(values[bucket]).isEqualTo(lowest);
			assertThat(times[bucket]).isEqualTo(lowestTime);
		}
		assertThat(values[0]).isEqualTo(10_000);
	}

	@Test
	void bucketsOlderThanTheWindowAreDropped() {
		BaseLows lows = new BaseLows(120_000);
		for (int second = 0; second < 4 * 3600; second += 2) {
			lows.add(second * 1000L, second);
		}
		long last = (4 * 3600 - 2) * 1000L;
		assertThat(lows.size()).isLessThanOrEqualTo(BaseLows.CAPACITY).isGreaterThanOrEqualTo(10);
		// Buckets are 4 s wide here, and one leaves when a sample comes more than the window after its low.
		assertThat(lows.times()[0]).isGreaterThanOrEqualTo(last - 124_000);
		assertThat(lows.times()[lows.size() - 1]).isBetween(last - 4000, last);
		assertThat(last - lows.times()[0]).isGreaterThan(90_000);
		// Only the samples of the buckets kept count: two a bucket, about two minutes of them.
		assertThat(lows.samples(lows.size())).isBetween(58, 64);
	}

	@Test
	void clearForgetsEverySample() {
		BaseLows lows = new BaseLows(3_600_000);
		for (int second = 0; second < 100; second++) {
			lows.add(second * 1000L, second);
		}
		lows.clear();
		assertThat(lows.size()).isZero();
		assertThat(lows.samples(0)).isZero();
		lows.add(500_000, 7);
		lows.add(500_600, 9);
		lows.add(501_000, 8);
		// One-second buckets again, counted from the first sample after the clear.
		assertThat(lows.size()).isEqualTo(2);
		assertThat(Arrays.copyOf(lows.times(), 2)).containsExactly(500_000, 501_000);
		assertThat(Arrays.copyOf(lows.values(), 2)).containsExactly(7, 8);
	}

}
