package io.leakwatch.heap;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.leakwatch.profile.SuspectSessions;

/**
 * memwatch's {@code new HeapDiff()} / {@code hd.end()} on the JVM's live class histogram. Between start
 * and end only the baseline histogram is kept, packed into a few arrays (kilobytes, whatever the heap's
 * size), so the diff does not report its own baseline as growth.
 */
public final class HistogramDiffs implements AutoCloseable {

	/** {@link HeapDiff#source()} of these diffs. */
	public static final String SOURCE = "class-histogram";

	/**
	 * How long a request waits for another histogram to be taken before it gets 429, as Spring Boot's
	 * {@code heapdump} endpoint waits for another dump: a histogram takes well under a second on a
	 * small heap, and leakwatch's own leak diff takes two, so a user's request that meets one is served
	 * rather than refused.
	 */
	static final Duration SNAPSHOT_WAIT = Duration.ofSeconds(5);

	private final OpenDiffs<PackedHistogram> open;

	private final Supplier<ClassHistogram> histograms;

	private final ReentrantLock snapshotLock = new ReentrantLock();

	private final Sweeper sweeper;

	private final SuspectSessions suspects;

	private final Duration snapshotWait;

	/**
	 * Creates the service.
	 * @param maxOpen how many diffs may be open at once
	 * @param ttl how long one may stay open before it is ended and discarded
	 * @param histograms takes a histogram ({@link LiveHistogram#take()} in production)
	 * @param clock the time source
	 */
	public HistogramDiffs(int maxOpen, Duration ttl, Supplier<ClassHistogram> histograms, Clock clock) {
		this(maxOpen, ttl, histograms, clock, SuspectSessions.off());
	}

	/**
	 * Creates the service.
	 * @param maxOpen how many diffs may be open at once
	 * @param ttl how long one may stay open before it is ended and discarded
	 * @param histograms takes a histogram ({@link LiveHistogram#take()} in production)
	 * @param clock the time source
	 * @param suspects names the code behind the classes that grew
	 */
	public HistogramDiffs(int maxOpen, Duration ttl, Supplier<ClassHistogram> histograms, Clock clock,
			SuspectSessions suspects) {
		this(maxOpen, ttl, histograms, clock, suspects, SNAPSHOT_WAIT);
	}

	HistogramDiffs(int maxOpen, Duration ttl, Supplier<ClassHistogram> histograms, Clock clock,
			SuspectSessions suspects, Duration snapshotWait) {
		this.snapshotWait = snapshotWait;
		this.suspects = suspects;
		this.open = new OpenDiffs<>("histogram diff", maxOpen, ttl, (id, baseline) -> suspects.abandoned(id), clock);
		this.histograms = histograms;
		this.sweeper = new Sweeper("leakwatch-histogram-diff-expiry", ttl, this.open::sweep);
	}

	/**
	 * Starts a diff: takes the baseline histogram.
	 * @return the open diff
	 * @throws HeapDiffException BUSY when too many are open or another histogram is still being taken
	 * after {@link #SNAPSHOT_WAIT}
	 */
	public OpenDiff start() {
		this.sweeper.start();
		OpenDiffs.Slot slot = this.open.reserve();
		try {
			PackedHistogram baseline = PackedHistogram.pack(snapshot());
			this.suspects.opened(slot.id());
			return OpenDiff.of(this.open.open(slot, baseline));
		}
		catch (RuntimeException ex) {
			this.open.release(slot);
			throw ex;
		}
	}

	/**
	 * Ends a diff: takes the second histogram and compares.
	 * @param id the diff's id
	 * @param query which rows to show
	 * @return the diff
	 * @throws HeapDiffException NOT_FOUND for an unknown or already ended id, BUSY when another histogram
	 * is being taken (the diff stays open)
	 */
	public HeapDiff end(String id, DiffQuery query) {
		OpenDiffs.Entry<PackedHistogram> entry = this.open.claim(id);
		ClassHistogram after;
		try {
			after = snapshot();
		}
		catch (RuntimeException ex) {
			this.open.restore(entry);
			throw ex;
		}
		this.open.finish(entry);
		ClassHistogram before = entry.value().unpack();
		HeapDiff diff = HeapDiff.between(entry.id(), SOURCE, false, before, after, query);
		return diff.withSuspects(this.suspects.ended(entry.id(), HeapDiff.grown(before, after)));
	}

	/**
	 * Takes a diff over a short window, as memwatch's users did in their leak handler.
	 * @param window how long to wait between the two histograms
	 * @param query which rows to show
	 * @return the diff
	 * @throws InterruptedException when interrupted while waiting
	 */
	public HeapDiff over(Duration window, DiffQuery query) throws InterruptedException {
		OpenDiff diff = start();
		try {
			Thread.sleep(window.toMillis());
		}
		catch (InterruptedException ex) {
			discard(diff.id());
			throw ex;
		}
		return end(diff.id(), query);
	}

	/** The diffs in progress, oldest first. */
	public List<OpenDiff> list() {
		return this.open.list().stream().map(OpenDiff::of).toList();
	}

	@Override
	public void close() {
		this.sweeper.close();
		this.open.clear();
	}

	private void discard(String id) {
		try {
			this.open.finish(this.open.claim(id));
			this.suspects.abandoned(id);
		}
		catch (HeapDiffException ex) {
			// Already expired.
		}
	}

	private ClassHistogram snapshot() {
		boolean locked;
		try {
			locked = this.snapshotLock.tryLock(this.snapshotWait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			locked = false;
		}
		if (!locked) {
			throw new HeapDiffException(HeapDiffException.Reason.BUSY,
					"Another class histogram is being taken; try again in a moment");
		}
		try {
			return this.histograms.get();
		}
		finally {
			this.snapshotLock.unlock();
		}
	}

	/**
	 * A diff in progress.
	 *
	 * @param id its id, for {@code DELETE .../{id}}
	 * @param startedAt when its baseline was taken
	 * @param expiresAt when it will be ended and discarded if still open
	 */
	public record OpenDiff(String id, Instant startedAt, Instant expiresAt) {

		static OpenDiff of(OpenDiffs.Entry<?> entry) {
			return new OpenDiff(entry.id(), entry.startedAt(), entry.expiresAt());
		}

	}

}
