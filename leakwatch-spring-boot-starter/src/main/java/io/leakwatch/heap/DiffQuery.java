package io.leakwatch.heap;

/**
 * What a diff's {@code details} show: the {@code top} classes by growth, among those whose size changed
 * by at least {@code minSizeBytes} either way (memwatch's users asked for a threshold to hide noise).
 *
 * @param top how many rows at most, at least 1
 * @param minSizeBytes smallest absolute change in bytes a row must show, at least 0
 */
public record DiffQuery(int top, long minSizeBytes) {

	/** Rows shown when the caller does not say. */
	public static final int DEFAULT_TOP = 50;

	/** Upper bound on {@code top}, so a response stays small whatever the heap holds. */
	public static final int MAX_TOP = 10_000;

	public DiffQuery {
		if (top < 1 || top > MAX_TOP) {
			throw new HeapDiffException(HeapDiffException.Reason.INVALID,
					"top must be between 1 and " + MAX_TOP + ", was " + top);
		}
		if (minSizeBytes < 0) {
			throw new HeapDiffException(HeapDiffException.Reason.INVALID,
					"minSizeBytes must be 0 or more, was " + minSizeBytes);
		}
	}

	/**
	 * A query from optional request parameters.
	 * @param top how many rows, or null for {@link #DEFAULT_TOP}
	 * @param minSizeBytes the threshold, or null for 0
	 * @return the query
	 * @throws HeapDiffException with reason INVALID when a value is out of range
	 */
	public static DiffQuery of(Integer top, Long minSizeBytes) {
		return new DiffQuery((top != null) ? top : DEFAULT_TOP, (minSizeBytes != null) ? minSizeBytes : 0);
	}

}
