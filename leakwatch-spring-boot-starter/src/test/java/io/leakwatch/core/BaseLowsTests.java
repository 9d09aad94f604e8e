package io.leakwatch.core;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BaseLowsTests {

	@Test
	void aBucketKeepsItsLowestBase() {
		// A 16-second window: one-second buckets.
		BaseLows lows = new BaseLows(16_000);
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
	void aLateSampleCountsAsTakenWithThePreviousOne() {
		// A G1 mixed collection comes through JFR about a second late, possibly after a full collection's
		// base from the notifications: it joins the latest bucket instead of opening one in the past.
		BaseLows lows = new BaseLows(16_000);
		lows.add(10_000, 50);
		lows.add(11_200, 60);
		lows.add(10_900, 20);
		assertThat(lows.size()).isEqualTo(2);
		assertThat(Arrays.copyOf(lows.times(), 2)).containsExactly(10_000, 11_200);
		assertThat(Arrays.copyOf(lows.values(), 2)).containsExactly(50, 20);
	}

	@Test
	void aWindowKeepsItsBucketsAndTheOpenOne() {
		// A 160-second window: ten-second buckets. One sample a second for ten minutes, falling by 100 every
		// minute and rising by one each second within it.
		BaseLows lows = new BaseLows(160_000);
		for (int second = 0; second < 600; second++) {
			lows.add(second * 1000L, 10_000 - (second / 60) * 100 + (second % 60));
		}
		assertThat(lows.size()).isEqualTo(BaseLows.BUCKETS + 1);
		assertThat(lows.samples(lows.size())).isEqualTo(170);
		long[] times = Arrays.copyOf(lows.times(), lows.size());
		long[] values = Arrays.copyOf(lows.values(), lows.size());
		// Buckets 43 to 59, seconds 430 to 599: each keeps the lowest base of its ten seconds.
		for (int i = 0; i < times.length; i++) {
			int bucket = 43 + i;
			long lowest = Long.MAX_VALUE;
			long lowestTime = 0;
			for (int second = bucket * 10; second < bucket * 10 + 10; second++) {
				long value = 10_000 - (second / 60) * 100 + (second % 60);
				if (value < lowest) {
					lowest = value;
					lowestTime = second * 1000L;
				}
			}
			assertThat(values[i]).isEqualTo(lowest);
			assertThat(times[i]).isEqualTo(lowestTime);
		}
	}

	@Test
	void emptyBucketsTakeNoRoomAndOldOnesLeave() {
		BaseLows lows = new BaseLows(160_000);
		lows.add(0, 5);
		lows.add(45_000, 6);
		lows.add(150_000, 7);
		lows.add(169_000, 8);
		assertThat(lows.size()).isEqualTo(4);
		// Bucket 17 (170 s): bucket 0 (0 s) is more than sixteen buckets before it and leaves, bucket 4 (45 s) stays.
		lows.add(170_000, 9);
		assertThat(lows.size()).isEqualTo(4);
		assertThat(Arrays.copyOf(lows.values(), 4)).containsExactly(6, 7, 8, 9);
	}

	@Test
	void aRestartKeepsTheClosedBucketsLowsAsItsHighWater() {
		BaseLows lows = new BaseLows(16_000);
		assertThat(lows.highWater()).isEqualTo(Long.MIN_VALUE);
		for (int second = 0; second < 10; second++) {
			lows.add(second * 1000L, 100 - second);
		}
		// The open bucket (second 9, 91) is dropped; the highest level two successive lows both showed is
		// seconds 0 and 1's, 99.
		lows.add(9_500, 200);
		lows.restart();
		assertThat(lows.size()).isZero();
		assertThat(lows.samples(0)).isZero();
		assertThat(lows.highWater()).isEqualTo(99);
		lows.add(500_500, 7);
		lows.add(501_000, 9);
		lows.add(501_400, 8);
		// Buckets counted from the first sample after the restart.
		assertThat(lows.size()).isEqualTo(1);
		assertThat(lows.values()[0]).isEqualTo(7);
		assertThat(lows.samples(1)).isEqualTo(3);
	}

	@Test
	void bucketsThatLeaveTheWindowRaiseTheHighWater() {
		BaseLows lows = new BaseLows(16_000);
		lows.add(0, 40);
		lows.add(1_000, 35);
		lows.add(16_000, 10);
		assertThat(lows.highWater()).isEqualTo(Long.MIN_VALUE);
		// Bucket 17: bucket 0 leaves, bucket 1 stays; both showed 35 or more.
		lows.add(17_000, 20);
		assertThat(lows.highWater()).isEqualTo(35);
		assertThat(Arrays.copyOf(lows.values(), lows.size())).containsExactly(35, 10, 20);
		// Buckets 1 and 16 leave at once, each held to the low after it (10, then 20): the high water stays.
		lows.add(33_000, 20);
		assertThat(lows.highWater()).isEqualTo(35);
		lows.add(50_000, 20);
		assertThat(lows.highWater()).isEqualTo(35);
	}

	@Test
	void aLevelOnlyOneBucketShowedIsNoHighWater() {
		// G1 sizing its heap (the corpus's slow leak on JDK 25): one bucket holds only the first mixed
		// collections of a phase, far above the live heap the buckets before and after show.
		BaseLows lows = new BaseLows(16_000);
		lows.add(0, 64);
		lows.add(1_000, 111);
		lows.add(1_500, 116);
		lows.add(2_000, 70);
		lows.add(3_000, 66);
		// Buckets 0 and 1 leave: the high water is the highest level two successive lows both showed,
		// bucket 1's held to bucket 2's 70, not 111.
		lows.add(18_000, 68);
		assertThat(lows.highWater()).isEqualTo(70);
		// The last low before a restart is held to the open bucket's.
		BaseLows restarted = new BaseLows(16_000);
		restarted.add(0, 64);
		restarted.add(1_000, 111);
		restarted.add(2_000, 66);
		restarted.restart();
		assertThat(restarted.highWater()).isEqualTo(66);
	}

}
