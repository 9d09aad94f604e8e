package io.leakwatch.heap;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.leakwatch.core.Sizes;
import io.leakwatch.profile.SuspectReport;

/**
 * memwatch's {@code HeapDiff} result between two class histograms: totals before and after, and per
 * class the change in bytes and the net change in instances, largest growth first.
 *
 * <p>The collector moves objects, so no object keeps an identity between two snapshots: {@code added}
 * and {@code removed} are the <em>net</em> instances a class gained or lost ({@code after - before},
 * one of them is always 0), not memwatch's allocated and freed counts.
 *
 * @param id the diff's id
 * @param source where the snapshots came from: {@code class-histogram} or {@code heap-dump}
 * @param sizesEstimated whether byte counts are estimates (heap dumps) or the JVM's own (histograms)
 * @param before the first snapshot's totals
 * @param after the second snapshot's totals
 * @param change what changed
 * @param suspects which code allocated the classes that grew and what keeps them alive, from JDK Flight
 * Recorder's leak profiler; {@code null} until attached, and a report that says why when there are none
 */
public record HeapDiff(String id, String source, boolean sizesEstimated, Snapshot before, Snapshot after,
		Change change, SuspectReport suspects) {

	/**
	 * This diff with its suspects.
	 * @param report the suspects
	 * @return the diff
	 */
	public HeapDiff withSuspects(SuspectReport report) {
		return new HeapDiff(this.id, this.source, this.sizesEstimated, this.before, this.after, this.change, report);
	}

	/**
	 * The classes that grew, largest growth in bytes first, whatever a query would show: the candidates
	 * for suspects.
	 * @param before the first snapshot
	 * @param after the second snapshot
	 * @return their names, as {@link Detail#what()} spells them
	 */
	public static List<String> grown(ClassHistogram before, ClassHistogram after) {
		HeapDiff all = between("", "", false, before, after, new DiffQuery(DiffQuery.MAX_TOP, 0));
		return all.change().details().stream().filter((detail) -> detail.sizeBytes() > 0 || detail.added() > 0)
			.map(Detail::className).toList();
	}

	/**
	 * Compares two histograms.
	 * @param id the diff's id
	 * @param source where the snapshots came from
	 * @param sizesEstimated whether byte counts are estimates
	 * @param before the first snapshot
	 * @param after the second snapshot
	 * @param query which rows to show
	 * @return the diff
	 */
	public static HeapDiff between(String id, String source, boolean sizesEstimated, ClassHistogram before,
			ClassHistogram after, DiffQuery query) {
		Map<String, ClassHistogram.Row> first = byWhat(before);
		Map<String, ClassHistogram.Row> second = byWhat(after);
		Set<String> names = new LinkedHashSet<>(first.keySet());
		names.addAll(second.keySet());
		List<Detail> changed = new ArrayList<>();
		long gained = 0;
		long lost = 0;
		for (String what : names) {
			ClassHistogram.Row was = first.get(what);
			ClassHistogram.Row is = second.get(what);
			long instancesBefore = (was != null) ? was.instances() : 0;
			long instancesAfter = (is != null) ? is.instances() : 0;
			long bytes = ((is != null) ? is.bytes() : 0) - ((was != null) ? was.bytes() : 0);
			long net = instancesAfter - instancesBefore;
			if (bytes == 0 && net == 0) {
				continue;
			}
			gained += Math.max(net, 0);
			lost += Math.max(-net, 0);
			if (Math.abs(bytes) >= query.minSizeBytes()) {
				String className = ((is != null) ? is : was).className();
				changed.add(new Detail(what, className, bytes, Sizes.bytes(bytes), Math.max(net, 0), Math.max(-net, 0),
						instancesBefore, instancesAfter));
			}
		}
		changed.sort(Comparator.comparingLong(Detail::sizeBytes).reversed().thenComparing(Detail::what));
		int classesChanged = changed.size();
		List<Detail> shown = changed.subList(0, Math.min(query.top(), changed.size()));
		long growth = after.totalBytes() - before.totalBytes();
		return new HeapDiff(id, source, sizesEstimated, Snapshot.of(before), Snapshot.of(after),
				new Change(growth, Sizes.bytes(growth), gained, lost, classesChanged, List.copyOf(shown)), null);
	}

	private static Map<String, ClassHistogram.Row> byWhat(ClassHistogram histogram) {
		Map<String, ClassHistogram.Row> rows = new HashMap<>(histogram.rows().size() * 2);
		for (ClassHistogram.Row row : histogram.rows()) {
			// Rows a snapshot cannot tell apart (same name, same loader label) are one class to a diff.
			rows.merge(row.what(), row, (a, b) -> new ClassHistogram.Row(a.className(), a.loader(),
					a.instances() + b.instances(), a.bytes() + b.bytes()));
		}
		return rows;
	}

	/**
	 * One snapshot's totals, as memwatch's {@code before} and {@code after}.
	 *
	 * @param nodes live objects
	 * @param sizeBytes their shallow size in bytes
	 * @param size the same in memwatch's human form
	 * @param time when the snapshot was taken
	 */
	public record Snapshot(long nodes, long sizeBytes, String size, Instant time) {

		static Snapshot of(ClassHistogram histogram) {
			long bytes = histogram.totalBytes();
			return new Snapshot(histogram.totalInstances(), bytes, Sizes.bytes(bytes),
					Instant.ofEpochMilli(histogram.timestampMillis()));
		}

	}

	/**
	 * memwatch's {@code change}.
	 *
	 * @param sizeBytes total growth in bytes (negative when the heap shrank)
	 * @param size the same in memwatch's human form
	 * @param addedNodes net instances gained, summed over the classes that gained
	 * @param removedNodes net instances lost, summed over the classes that lost
	 * @param classesChanged classes that changed by at least the query's threshold (before {@code top})
	 * @param details the classes shown, largest growth first
	 */
	public record Change(long sizeBytes, String size, long addedNodes, long removedNodes, int classesChanged,
			List<Detail> details) {
	}

	/**
	 * One class in {@code details}.
	 *
	 * @param what the class name, with its loader when one tells same-named classes apart
	 * @param className the class name alone
	 * @param sizeBytes change of its shallow size in bytes
	 * @param size the same in memwatch's human form
	 * @param added net instances gained (memwatch's {@code +})
	 * @param removed net instances lost (memwatch's {@code -})
	 * @param instancesBefore instances in the first snapshot
	 * @param instancesAfter instances in the second snapshot
	 */
	public record Detail(String what, String className, long sizeBytes, String size, long added, long removed, long instancesBefore,
			long instancesAfter) {
	}

}
