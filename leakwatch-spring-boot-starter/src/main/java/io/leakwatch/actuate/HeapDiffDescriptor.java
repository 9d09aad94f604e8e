package io.leakwatch.actuate;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.leakwatch.heap.HeapDiff;

/**
 * A diff as the endpoints render it: memwatch's {@code HeapDiff} shape, with its {@code +} and
 * {@code -} columns.
 *
 * @param id the diff's id
 * @param source {@code class-histogram} or {@code heap-dump}
 * @param sizesEstimated whether byte counts are estimates (heap dumps) rather than the JVM's own
 * @param before the first snapshot's totals
 * @param after the second snapshot's totals
 * @param change what changed
 * @param suspects which code allocated the classes that grew and what keeps them alive
 */
public record HeapDiffDescriptor(String id, String source, boolean sizesEstimated, HeapDiff.Snapshot before,
		HeapDiff.Snapshot after, ChangeDescriptor change, SuspectsDescriptor suspects) {

	static HeapDiffDescriptor of(HeapDiff diff) {
		HeapDiff.Change change = diff.change();
		List<DetailDescriptor> details = change.details().stream().map(DetailDescriptor::of).toList();
		return new HeapDiffDescriptor(diff.id(), diff.source(), diff.sizesEstimated(), diff.before(), diff.after(),
				new ChangeDescriptor(change.sizeBytes(), change.size(), change.addedNodes(), change.removedNodes(),
						change.classesChanged(), details), SuspectsDescriptor.of(diff.suspects()));
	}

	/**
	 * memwatch's {@code change}.
	 *
	 * @param sizeBytes total growth in bytes
	 * @param size the same in memwatch's human form
	 * @param addedNodes net instances gained, summed over the classes that gained
	 * @param removedNodes net instances lost, summed over the classes that lost
	 * @param classesChanged classes that changed by at least {@code minSizeBytes}
	 * @param details the top classes, largest growth first
	 */
	public record ChangeDescriptor(long sizeBytes, String size, long addedNodes, long removedNodes,
			int classesChanged, List<DetailDescriptor> details) {
	}

	/**
	 * One class, as memwatch's {@code details} rows.
	 *
	 * @param what the class (and its loader when that tells same-named classes apart)
	 * @param sizeBytes change in shallow bytes
	 * @param size the same in memwatch's human form
	 * @param added net instances gained
	 * @param removed net instances lost
	 * @param instancesBefore instances in the first snapshot
	 * @param instancesAfter instances in the second snapshot
	 */
	public record DetailDescriptor(String what, long sizeBytes, String size, @JsonProperty("+") long added,
			@JsonProperty("-") long removed, long instancesBefore, long instancesAfter) {

		static DetailDescriptor of(HeapDiff.Detail detail) {
			return new DetailDescriptor(detail.what(), detail.sizeBytes(), detail.size(), detail.added(),
					detail.removed(), detail.instancesBefore(), detail.instancesAfter());
		}

	}

}
