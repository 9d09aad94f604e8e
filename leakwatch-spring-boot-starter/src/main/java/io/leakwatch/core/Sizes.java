package io.leakwatch.core;

import java.time.Duration;
import java.util.Locale;

/** Formats bytes and durations the way memwatch's messages did ("110.24 mb", "4s"), with 64-bit input. */
public final class Sizes {

	private static final String[] UNITS = { "kb", "mb", "gb", "tb", "pb" };

	private Sizes() {
	}

	/**
	 * Formats a byte count, signed, in binary units: {@code 512 bytes}, {@code 3 kb}, {@code -4.77 mb}.
	 * @param bytes the count
	 * @return the text
	 */
	public static String bytes(double bytes) {
		double magnitude = Math.abs(bytes);
		if (magnitude < 1024) {
			return String.format(Locale.ROOT, "%d bytes", Math.round(bytes));
		}
		int unit = -1;
		while (magnitude >= 1024 && unit < UNITS.length - 1) {
			magnitude /= 1024;
			unit++;
		}
		String number = String.format(Locale.ROOT, "%.2f", Math.copySign(magnitude, bytes));
		if (number.endsWith(".00")) {
			number = number.substring(0, number.length() - 3);
		}
		return number + " " + UNITS[unit];
	}

	/**
	 * Formats a duration: {@code 0.5s} and {@code 4.2s} under ten seconds, then to the second:
	 * {@code 12s}, {@code 2m 5s}, {@code 1h 0m 3s}.
	 * @param duration the duration
	 * @return the text
	 */
	public static String duration(Duration duration) {
		long millis = Math.max(0, duration.toMillis());
		if (millis < 9950) {
			long tenths = Math.round(millis / 100.0);
			return (tenths % 10 == 0) ? (tenths / 10) + "s" : String.format(Locale.ROOT, "%.1fs", tenths / 10.0);
		}
		long seconds = Math.max(0, Math.round(duration.toMillis() / 1000.0));
		long hours = seconds / 3600;
		long minutes = (seconds % 3600) / 60;
		long rest = seconds % 60;
		if (hours > 0) {
			return hours + "h " + minutes + "m " + rest + "s";
		}
		if (minutes > 0) {
			return minutes + "m " + rest + "s";
		}
		return rest + "s";
	}

}
