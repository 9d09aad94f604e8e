package io.leakwatch.core;

/**
 * Mann-Kendall's test for a monotonic trend, and Theil-Sen's slope: both rank-based, so one noisy
 * sample moves them by one pair rather than resetting them, which is why memwatch's consecutive rule
 * missed slow leaks and this does not.
 */
final class TrendTest {

	private TrendTest() {
	}

	/**
	 * Mann-Kendall's normal score of a series, with differences within {@code deadBand} counted as ties.
	 * Positive for a rising series; about 0 for a flat or noisy one.
	 * @param values the series, in time order
	 * @param count how many leading values to use
	 * @param deadBand differences at most this large count as no change
	 * @return the score
	 */
	static double mannKendallZ(long[] values, int count, long deadBand) {
		if (count < 3) {
			return 0;
		}
		long s = 0;
		for (int i = 0; i < count - 1; i++) {
			for (int j = i + 1; j < count; j++) {
				long difference = values[j] - values[i];
				if (difference > deadBand) {
					s++;
				}
				else if (difference < -deadBand) {
					s--;
				}
			}
		}
		double n = count;
		double variance = n * (n - 1) * (2 * n + 5) / 18.0;
		if (s > 0) {
			return (s - 1) / Math.sqrt(variance);
		}
		if (s < 0) {
			return (s + 1) / Math.sqrt(variance);
		}
		return 0;
	}

	/**
	 * Theil-Sen's slope: the median of the slopes of every pair of points.
	 * @param times the sample times, in milliseconds, ascending
	 * @param values the values
	 * @param count how many leading points to use
	 * @return the slope, in value units per millisecond
	 */
	static double theilSenSlope(long[] times, long[] values, int count) {
		double[] slopes = new double[count * (count - 1) / 2];
		int size = 0;
		for (int i = 0; i < count - 1; i++) {
			for (int j = i + 1; j < count; j++) {
				long dt = times[j] - times[i];
				if (dt > 0) {
					slopes[size++] = (double) (values[j] - values[i]) / dt;
				}
			}
		}
		if (size == 0) {
			return 0;
		}
		java.util.Arrays.sort(slopes, 0, size);
		return (size % 2 == 1) ? slopes[size / 2] : (slopes[size / 2 - 1] + slopes[size / 2]) / 2;
	}

	/**
	 * The scatter of a series around its Theil-Sen line, as a robust standard deviation (1.4826 times the
	 * median absolute deviation of the residuals), so one outlier does not inflate it and a steady rise
	 * does not count as scatter.
	 * @param times the sample times, ascending
	 * @param values the values
	 * @param count how many leading points to use
	 * @return the scatter, in value units
	 */
	static double scatter(long[] times, long[] values, int count) {
		if (count < 3) {
			return 0;
		}
		double slope = theilSenSlope(times, values, count);
		double[] residuals = new double[count];
		for (int i = 0; i < count; i++) {
			residuals[i] = values[i] - slope * (times[i] - times[0]);
		}
		double center = median(residuals);
		double[] deviations = new double[count];
		for (int i = 0; i < count; i++) {
			deviations[i] = Math.abs(residuals[i] - center);
		}
		return 1.4826 * median(deviations);
	}

	/**
	 * The median of a range of values.
	 * @param values the values
	 * @param from the first index, inclusive
	 * @param to the last index, exclusive, greater than {@code from}
	 * @return the median
	 */
	static double median(long[] values, int from, int to) {
		long[] sorted = java.util.Arrays.copyOfRange(values, from, to);
		java.util.Arrays.sort(sorted);
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + (double) sorted[middle]) / 2;
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		java.util.Arrays.sort(sorted);
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	/**
	 * The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9).
	 * @param p a probability in (0, 1)
	 * @return {@code z} such that P(Z &lt;= z) = p
	 */
	static double normalQuantile(double p) {
		double[] a = { -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
				-3.066479806614716e+01, 2.506628277459239e+00 };
		double[] b = { -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
				-1.328068155288572e+01 };
		double[] c = { -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
				4.374664141464968e+00, 2.938163982698783e+00 };
		double[] d = { 7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00 };
		double low = 0.02425;
		if (p < low) {
			double q = Math.sqrt(-2 * Math.log(p));
			return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
					/ ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
		}
		if (p > 1 - low) {
			return -normalQuantile(1 - p);
		}
		double q = p - 0.5;
		double r = q * q;
		return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
				/ (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
	}

}
