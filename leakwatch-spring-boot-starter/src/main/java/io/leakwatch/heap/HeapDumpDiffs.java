package io.leakwatch.heap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.leakwatch.profile.SuspectSessions;

/**
 * Heap-dump diffs: a live {@code .hprof} dump at the start, another at the end, both parsed into class
 * histograms and compared. The dumps can be downloaded while they exist (for Eclipse MAT or VisualVM);
 * they are deleted when the diff ends, unless the caller keeps them, and in every case when they
 * expire or the application stops.
 */
public final class HeapDumpDiffs implements AutoCloseable {

	/** {@link HeapDiff#source()} of these diffs. */
	public static final String SOURCE = "heap-dump";

	private final HeapDumpFiles files;

	private final DumpReader reader;

	private final OpenDiffs<Path> open;

	private final OpenDiffs<Kept> kept;

	private final Sweeper sweeper;

	private final SuspectSessions suspects;

	/**
	 * Creates the service.
	 * @param files writes and deletes the dumps
	 * @param reader parses a dump into a histogram
	 * @param maxOpen how many diffs may be open at once (and, separately, how many ended diffs may keep
	 * their files)
	 * @param ttl how long a diff may stay open, and how long kept files stay after the end
	 * @param clock the time source
	 */
	public HeapDumpDiffs(HeapDumpFiles files, DumpReader reader, int maxOpen, Duration ttl, Clock clock) {
		this(files, reader, maxOpen, ttl, clock, SuspectSessions.off());
	}

	/**
	 * Creates the service.
	 * @param files writes and deletes the dumps
	 * @param reader parses a dump into a histogram
	 * @param maxOpen how many diffs may be open at once (and, separately, how many ended diffs may keep
	 * their files)
	 * @param ttl how long a diff may stay open, and how long kept files stay after the end
	 * @param clock the time source
	 * @param suspects names the code behind the classes that grew
	 */
	public HeapDumpDiffs(HeapDumpFiles files, DumpReader reader, int maxOpen, Duration ttl, Clock clock,
			SuspectSessions suspects) {
		this.suspects = suspects;
		this.files = files;
		this.reader = reader;
		this.open = new OpenDiffs<>("heap-dump diff", maxOpen, ttl, (id, before) -> {
			files.delete(before);
			suspects.abandoned(id);
		}, clock);
		this.kept = new OpenDiffs<>("kept heap-dump diff", maxOpen, ttl, (id, k) -> {
			files.delete(k.before());
			files.delete(k.after());
		}, clock);
		this.sweeper = new Sweeper("leakwatch-heapdump-diff-expiry", ttl, () -> {
			this.open.sweep();
			this.kept.sweep();
		});
	}

	/**
	 * Starts a diff: writes the first dump.
	 * @return the open diff
	 * @throws HeapDiffException BUSY, NO_SPACE, UNAVAILABLE or FAILED (see {@link HeapDumpFiles#dump})
	 */
	public DiffInfo start() {
		this.sweeper.start();
		OpenDiffs.Slot slot = this.open.reserve();
		try {
			Path before = this.files.dump(slot.id() + "-before");
			this.suspects.opened(slot.id());
			return DiffInfo.open(this.open.open(slot, before), size(before));
		}
		catch (RuntimeException ex) {
			this.open.release(slot);
			throw ex;
		}
	}

	/**
	 * Ends a diff: writes the second dump, parses both and compares them.
	 * @param id the diff's id
	 * @param query which rows to show
	 * @param keepFiles whether both dumps stay downloadable (until they expire) instead of being deleted
	 * @return the diff
	 * @throws HeapDiffException NOT_FOUND for an unknown id or one being ended; BUSY, NO_SPACE or FAILED
	 * when the second dump or the parse fails, in which case the diff stays open
	 */
	public HeapDiff end(String id, DiffQuery query, boolean keepFiles) {
		OpenDiffs.Slot keepSlot = keepFiles ? this.kept.reserve() : null;
		OpenDiffs.Entry<Path> entry;
		try {
			entry = this.open.claim(id);
		}
		catch (HeapDiffException ex) {
			releaseKept(keepSlot);
			throw ex;
		}
		Path after = null;
		HeapDiff diff;
		try {
			after = this.files.dump(id + "-after");
			ClassHistogram first = read(entry.value());
			ClassHistogram second = read(after);
			diff = HeapDiff.between(id, SOURCE, true, first, second, query)
				.withSuspects(this.suspects.ended(id, HeapDiff.grown(first, second)));
		}
		catch (RuntimeException ex) {
			if (after != null) {
				this.files.delete(after);
			}
			releaseKept(keepSlot);
			this.open.restore(entry);
			throw ex;
		}
		this.open.finish(entry);
		if (keepSlot != null) {
			// The kept entry takes the diff's own id, so the download URLs stay the same.
			this.kept.open(new OpenDiffs.Slot(id), new Kept(entry.value(), after, diff));
		}
		else {
			this.files.delete(entry.value());
			this.files.delete(after);
		}
		return diff;
	}

	/**
	 * Ends an open diff without comparing, deleting its dump.
	 * @param id the diff's id
	 * @throws HeapDiffException NOT_FOUND when no open diff has this id
	 */
	public void abandon(String id) {
		OpenDiffs.Entry<Path> entry = this.open.claim(id);
		this.files.delete(entry.value());
		this.open.finish(entry);
		this.suspects.abandoned(id);
	}

	/**
	 * Discards an ended diff whose files were kept, deleting them now.
	 * @param id the diff's id
	 * @return the diff computed when it ended
	 * @throws HeapDiffException NOT_FOUND when no kept diff has this id
	 */
	public HeapDiff discardKept(String id) {
		OpenDiffs.Entry<Kept> entry = this.kept.claim(id);
		this.files.delete(entry.value().before());
		this.files.delete(entry.value().after());
		this.kept.finish(entry);
		return entry.value().diff();
	}

	/**
	 * Whether a kept (ended) diff has this id.
	 * @param id the id
	 * @return whether its files are kept
	 */
	public boolean isKept(String id) {
		try {
			this.kept.get(id);
			return true;
		}
		catch (HeapDiffException ex) {
			return false;
		}
	}

	/**
	 * A dump to download.
	 * @param id the diff's id
	 * @param which {@code before} (open or kept diffs) or {@code after} (kept diffs)
	 * @return the file
	 * @throws HeapDiffException INVALID for another {@code which}, NOT_FOUND when the file does not exist
	 */
	public Path file(String id, String which) {
		if (!"before".equals(which) && !"after".equals(which)) {
			throw new HeapDiffException(HeapDiffException.Reason.INVALID,
					"Which dump: 'before' or 'after', was '" + which + "'");
		}
		Path file = null;
		if (isKept(id)) {
			Kept files = this.kept.get(id).value();
			file = "before".equals(which) ? files.before() : files.after();
		}
		else if ("before".equals(which)) {
			file = this.open.get(id).value();
		}
		else {
			throw new HeapDiffException(HeapDiffException.Reason.NOT_FOUND, "Diff '" + id
					+ "' has no 'after' dump: it is written when the diff ends (DELETE with keepFiles=true keeps it)");
		}
		if (!Files.isRegularFile(file)) {
			throw new HeapDiffException(HeapDiffException.Reason.NOT_FOUND, "The dump of diff '" + id + "' is gone");
		}
		return file;
	}

	/** The diffs in progress, then the ended ones whose files are kept, oldest first. */
	public List<DiffInfo> list() {
		List<DiffInfo> list = new ArrayList<>();
		for (OpenDiffs.Entry<Path> entry : this.open.list()) {
			list.add(DiffInfo.open(entry, size(entry.value())));
		}
		for (OpenDiffs.Entry<Kept> entry : this.kept.list()) {
			list.add(new DiffInfo(entry.id(), "ended", entry.startedAt(), entry.expiresAt(),
					size(entry.value().before()) + size(entry.value().after())));
		}
		list.sort(Comparator.comparing(DiffInfo::startedAt));
		return list;
	}

	/** The directory dumps go to. */
	public Path directory() {
		return this.files.directory();
	}

	@Override
	public void close() {
		this.sweeper.close();
		this.open.clear();
		this.kept.clear();
		this.files.close();
	}

	private ClassHistogram read(Path dump) {
		try {
			return this.reader.read(dump);
		}
		catch (IOException ex) {
			throw new HeapDiffException(HeapDiffException.Reason.FAILED,
					"Could not read heap dump " + dump.getFileName() + ": " + ex.getMessage(), ex);
		}
	}

	private void releaseKept(OpenDiffs.Slot slot) {
		if (slot != null) {
			this.kept.release(slot);
		}
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			return -1;
		}
	}

	/** Parses a heap dump into a class histogram. */
	@FunctionalInterface
	public interface DumpReader {

		/**
		 * Reads a dump.
		 * @param file the dump
		 * @return its histogram
		 * @throws IOException when the file cannot be read or is not a valid dump
		 */
		ClassHistogram read(Path file) throws IOException;

	}

	/**
	 * A diff listed by {@code GET}.
	 *
	 * @param id its id
	 * @param state {@code open} (first dump written) or {@code ended} (files kept for download)
	 * @param startedAt when it was opened, or ended for kept files
	 * @param expiresAt when it will be ended or its kept files deleted
	 * @param fileBytes bytes its dumps take on disk now
	 */
	public record DiffInfo(String id, String state, Instant startedAt, Instant expiresAt, long fileBytes) {

		static DiffInfo open(OpenDiffs.Entry<Path> entry, long fileBytes) {
			return new DiffInfo(entry.id(), "open", entry.startedAt(), entry.expiresAt(), fileBytes);
		}

	}

	private record Kept(Path before, Path after, HeapDiff diff) {
	}

}
