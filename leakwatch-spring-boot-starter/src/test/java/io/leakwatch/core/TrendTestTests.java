package io.leakwatch.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TrendTestTests {

	@Test
	void normalQuantileMatchesTables() {
		assertThat(TrendTest.normalQuantile(0.5)).isCloseTo(0.0, within(1e-9));
		assertThat(TrendTest.normalQuantile(0.975)).isCloseTo(1.959964, within(1e-6));
		assertThat(TrendTest.normalQuantile(0.99)).isCloseTo(2.326348, within(1e-6));
		assertThat(TrendTest.normalQuantile(0.001)).isCloseTo(-3.090232, within(1e-6));
	}

	@Test
	void mannKendallSeesARiseThroughNoiseAndNothingInAFlatSeries() {
		long[] rising = { 1, 2, 3, 4, 3, 5, 6, 7, 8, 7 };
		long[] flat = { 5, 3, 6, 4, 5, 3, 6, 4, 5, 4 };
		assertThat(TrendTest.mannKendallZ(rising, rising.length, 0)).isGreaterThan(3);
		assertThat(TrendTest.mannKendallZ(flat, flat.length, 0)).isBetween(-1.0, 1.0);
		assertThat(TrendTest.mannKendallZ(rising, rising.length, 100)).isZero();
	}

	@Test
	void theilSenIgnoresAnOutlier() {
		long[] times = { 0, 1, 2, 3, 4, 5, 6 };
		long[] values = { 0, 10, 20, 1000, 40, 50, 60 };
		assertThat(TrendTest.theilSenSlope(times, values, values.length)).isEqualTo(10.0);
	}

}
