package io.leakwatch.actuate;

import java.time.Instant;
import java.util.List;

import io.leakwatch.core.HeapStats;
import io.leakwatch.core.LeakDetector;
import io.leakwatch.core.LeakReport;
import io.leakwatch.core.Sizes;
import io.leakwatch.heap.DiffQuery;
import io.leakwatch.heap.HeapDiffException;
import io.leakwatch.heap.HistogramDiffs;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/memwatch}: memwatch's stats, whether a leak is suspected, the recent leak reports,
 * and memwatch's {@code HeapDiff} on the JVM's class histogram ({@code POST} starts one,
 * {@code DELETE /{id}} ends it). An {@code @Endpoint}, so it is available over JMX as well as HTTP;
 * {@link MemwatchEndpointWebExtension} gives HTTP callers status codes for refusals.
 */
@Endpoint(id = "memwatch")
public class MemwatchEndpoint {

	private final LeakDetector detector;

	private final HistogramDiffs diffs;

	/**
	 * Creates the endpoint.
	 * @param detector the detector to report on
	 * @param diffs the histogram diffs it starts and ends
	 */
	public MemwatchEndpoint(LeakDetector detector, HistogramDiffs diffs) {
		this.detector = detector;
		this.diffs = diffs;
	}

	@ReadOperation
	public MemwatchDescriptor memwatch() {
		HeapStats stats = this.detector.stats();
		List<LeakDescriptor> leaks = this.detector.recentLeaks().stream().map(LeakDescriptor::of).toList();
		return new MemwatchDescriptor(StatsDescriptor.of(stats), this.detector.isSuspected(),
				this.detector.leakCount(), leaks, this.detector.collectors(), this.detector.watchesG1CyclesWithJfr(),
				this.detector.probes(), this.diffs.list());
	}

	/**
	 * memwatch's {@code new HeapDiff()}: takes the baseline histogram (a full collection).
	 * @return the diff's id and times
	 * @throws HeapDiffException when refused (too many open, a histogram in progress)
	 */
	@WriteOperation
	public HistogramDiffs.OpenDiff startDiff() {
		return this.diffs.start();
	}

	/**
	 * memwatch's {@code hd.end()}: takes the second histogram and returns what changed.
	 * @param id the diff's id
	 * @param top how many classes to return, largest growth first (default 50)
	 * @param minSizeBytes hide classes whose size changed by less (default 0)
	 * @return the diff
	 * @throws HeapDiffException when refused (unknown id, bad parameter, a histogram in progress)
	 */
	@DeleteOperation
	public HeapDiffDescriptor endDiff(@Selector String id, @Nullable Integer top, @Nullable Long minSizeBytes) {
		DiffQuery query = DiffQuery.of(top, minSizeBytes);
		return HeapDiffDescriptor.of(this.diffs.end(id, query));
	}

	/**
	 * The endpoint's response.
	 *
	 * @param stats memwatch's stats
	 * @param suspected whether a leak is suspected now
	 * @param leaks how many leaks were detected since start
	 * @param recentLeaks the recent leak reports, oldest first
	 * @param collectors the collector beans watched
	 * @param g1CyclesFromJfr whether G1's concurrent cycles are seen through JDK Flight Recorder
	 * @param probing whether leakwatch asks a quiet collector for old collections
	 * @param diffs the histogram diffs in progress
	 */
	public record MemwatchDescriptor(StatsDescriptor stats, boolean suspected, long leaks,
			List<LeakDescriptor> recentLeaks, List<String> collectors, boolean g1CyclesFromJfr, boolean probing,
			List<HistogramDiffs.OpenDiff> diffs) {
	}

	/**
	 * memwatch's stats, with byte counts as numbers and {@code -1} where memwatch had nothing yet.
	 *
	 * @param numFullGc collections that examined the old generation
	 * @param numIncGc young collections
	 * @param heapCompactions old collections that moved objects
	 * @param usageTrend recent base average against the long one, in percent
	 * @param estimatedBase 10-sample moving average of the base, in bytes
	 * @param currentBase last base, in bytes
	 * @param min smallest base from the third sample on, in bytes, or -1
	 * @param max largest base from the third sample on, in bytes, or -1
	 * @param baseSamples base samples taken
	 * @param heapMax maximum heap, in bytes
	 * @param lastSample when the last base sample was taken, or null before the first
	 */
	public record StatsDescriptor(long numFullGc, long numIncGc, long heapCompactions, double usageTrend,
			long estimatedBase, long currentBase, long min, long max, long baseSamples, long heapMax,
			Instant lastSample) {

		static StatsDescriptor of(HeapStats stats) {
			Instant last = (stats.lastSampleMillis() > 0) ? Instant.ofEpochMilli(stats.lastSampleMillis()) : null;
			return new StatsDescriptor(stats.numFullGc(), stats.numIncGc(), stats.heapCompactions(),
					Math.round(stats.usageTrend() * 100) / 100.0, stats.estimatedBase(), stats.currentBase(),
					stats.min(), stats.max(), stats.baseSamples(), stats.heapMax(), last);
		}

	}

	/**
	 * One leak report, memwatch's {@code growth} and {@code reason} with its window.
	 *
	 * @param growth growth in bytes
	 * @param growthSize growth in memwatch's human form
	 * @param reason memwatch's reason
	 * @param rule the rule that fired
	 * @param windowStart first sample of the window
	 * @param windowEnd last sample of the window
	 * @param durationSeconds the window's length in seconds
	 * @param rateBytesPerHour growth rate in bytes per hour
	 * @param samples base samples in the window
	 * @param startBase base at the window's start, in bytes
	 * @param endBase base at the window's end, in bytes
	 */
	public record LeakDescriptor(long growth, String growthSize, String reason, String rule, Instant windowStart,
			Instant windowEnd, double durationSeconds, long rateBytesPerHour, int samples, long startBase,
			long endBase) {

		static LeakDescriptor of(LeakReport report) {
			return new LeakDescriptor(report.growthBytes(), Sizes.bytes(report.growthBytes()), report.reason(),
					report.rule(), report.windowStart(), report.windowEnd(), report.duration().toMillis() / 1000.0,
					Math.round(report.rateBytesPerHour()), report.samples(), report.startBase(), report.endBase());
		}

	}

}
