package io.leakwatch.actuate;

import java.util.List;

import io.leakwatch.heap.DiffQuery;
import io.leakwatch.heap.HeapDiffException;
import io.leakwatch.heap.HeapDumpDiffs;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/heapdump-diff}: diffs between two live heap dumps ({@code POST} writes the first,
 * {@code DELETE /{id}} the second and returns what changed). Heap dumps hold everything the
 * application had in memory, so, like Spring Boot's {@code heapdump}, the endpoint is off until the
 * user grants access.
 *
 * <p>The id is {@value #ID} rather than {@code heapdump-diff}: Spring Boot warns about dashes in endpoint
 * ids, so the path is mapped to {@code heapdump-diff} instead (see {@code HeapDumpDiffPathMapper}).
 */
@Endpoint(id = HeapDumpDiffEndpoint.ID, defaultAccess = Access.NONE)
public class HeapDumpDiffEndpoint {

	/** The endpoint's id (its path is {@code heapdump-diff}). */
	public static final String ID = "heapdumpDiff";

	/** The endpoint's path under the actuator's base path. */
	public static final String PATH = "heapdump-diff";

	private final HeapDumpDiffs diffs;

	/**
	 * Creates the endpoint.
	 * @param diffs the heap-dump diffs it starts and ends
	 */
	public HeapDumpDiffEndpoint(HeapDumpDiffs diffs) {
		this.diffs = diffs;
	}

	/**
	 * The diffs in progress and the ended ones whose dumps are kept.
	 * @return the list
	 */
	@ReadOperation
	public DiffsDescriptor diffs() {
		return new DiffsDescriptor(this.diffs.list());
	}

	/**
	 * Starts a diff by writing a live heap dump (a full collection and a file about as large as the live
	 * heap).
	 * @return the diff's id and times
	 * @throws HeapDiffException when refused (a dump in progress, too many open, too little disk)
	 */
	@WriteOperation
	public HeapDumpDiffs.DiffInfo startDiff() {
		return this.diffs.start();
	}

	/**
	 * Ends a diff: writes the second dump, parses both and returns what changed. A diff ended earlier
	 * with {@code keepFiles=true} is discarded instead (its dumps deleted) and its diff returned again.
	 * @param id the diff's id
	 * @param top how many classes to return, largest growth first (default 50)
	 * @param minSizeBytes hide classes whose size changed by less (default 0)
	 * @param keepFiles keep both dumps for download until they expire (default false: deleted now)
	 * @return the diff
	 * @throws HeapDiffException when refused
	 */
	@DeleteOperation
	public HeapDiffDescriptor endDiff(@Selector String id, @Nullable Integer top, @Nullable Long minSizeBytes,
			@Nullable Boolean keepFiles) {
		DiffQuery query = DiffQuery.of(top, minSizeBytes);
		if (this.diffs.isKept(id)) {
			return HeapDiffDescriptor.of(this.diffs.discardKept(id));
		}
		return HeapDiffDescriptor.of(this.diffs.end(id, query, Boolean.TRUE.equals(keepFiles)));
	}

	/**
	 * The diffs listed.
	 *
	 * @param diffs open diffs and ended ones with kept dumps, oldest first
	 */
	public record DiffsDescriptor(List<HeapDumpDiffs.DiffInfo> diffs) {
	}

}
