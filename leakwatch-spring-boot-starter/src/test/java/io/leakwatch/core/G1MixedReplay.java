package io.leakwatch.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Feeds the slow trend the heap after each {@code Pause Young (Mixed)} of a G1 {@code -Xlog:gc} file, as
 * {@link G1ConcurrentCycleWatch} would (a second late), and prints each report: what the mixed
 * collections alone tell of a run, for BENCHMARKS.md. Not a test. Usage: {@code G1MixedReplay gc.log
 * [warmUpMillis [heapMaxMb]]}; {@code -Xlog:gc} rounds the heap down to whole megabytes.
 */
public final class G1MixedReplay {

	private static final Pattern MIXED = Pattern.compile("^\\[([0-9.]+)s\\].*Pause Young \\(Mixed\\).*->(\\d+)M\\(");

	private G1MixedReplay() {
	}

	public static void main(String[] args) throws Exception {
		long warmUp = (args.length > 1) ? Long.parseLong(args[1]) : 10_000;
		long heapMax = ((args.length > 2) ? Long.parseLong(args[2]) : 256) << 20;
		AtomicLong clock = new AtomicLong();
		int[] mixed = new int[1];
		LeakAnalyzer analyzer = new LeakAnalyzer(DetectorSettings.defaults().withWarmUp(Duration.ofMillis(warmUp)),
				heapMax, clock::get, new LeakListener() {

					@Override
					public void onLeak(LeakReport report) {
						System.out.printf("LEAK at %.1f s after %d mixed collections: %s, growth %d MB%n",
								clock.get() / 1000.0, mixed[0], report.rule(), report.growthBytes() >> 20);
					}

					@Override
					public void onStats(HeapStats stats) {
					}

				});
		for (String line : Files.readAllLines(Path.of(args[0]))) {
			Matcher matcher = MIXED.matcher(line);
			if (matcher.find()) {
				long millis = Math.round(Double.parseDouble(matcher.group(1)) * 1000);
				clock.set(millis + 1000);
				mixed[0]++;
				analyzer.acceptMixedCollection(millis, Long.parseLong(matcher.group(2)) << 20);
			}
		}
		System.out.println("END after " + mixed[0] + " mixed collections");
	}

}
