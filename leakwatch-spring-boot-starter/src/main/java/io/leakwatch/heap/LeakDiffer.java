package io.leakwatch.heap;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The seed's practice when memwatch reports a leak: start a {@code HeapDiff} in the handler and end it
 * a moment later, so the report says what grew. Rate-limited, because each diff costs two full
 * collections (histograms) or two heap dumps.
 */
public final class LeakDiffer {

	private final Mode mode;

	private final Duration window;

	private final Duration minInterval;

	private final DiffQuery query;

	private final HistogramDiffs histograms;

	private final HeapDumpDiffs dumps;

	private final Clock clock;

	private Instant last;

	/**
	 * Creates a differ.
	 * @param mode which kind of diff
	 * @param window time between the two snapshots
	 * @param minInterval least time between two diffs
	 * @param query the rows to keep
	 * @param histograms histogram diffs, for {@link Mode#HISTOGRAM}
	 * @param dumps heap-dump diffs, for {@link Mode#HEAP_DUMP}
	 * @param clock the time source
	 */
	public LeakDiffer(Mode mode, Duration window, Duration minInterval, DiffQuery query, HistogramDiffs histograms,
			HeapDumpDiffs dumps, Clock clock) {
		this.mode = mode;
		this.window = window;
		this.minInterval = minInterval;
		this.query = query;
		this.histograms = histograms;
		this.dumps = dumps;
		this.clock = clock;
	}

	/**
	 * Takes the next diff's turn if the rate limit allows one now.
	 * @return whether a diff may be taken
	 */
	public synchronized boolean tryAcquire() {
		if (this.mode == Mode.OFF) {
			return false;
		}
		Instant now = this.clock.instant();
		if (this.last != null && now.isBefore(this.last.plus(this.minInterval))) {
			return false;
		}
		this.last = now;
		return true;
	}

	/**
	 * Takes a diff over the window; call after {@link #tryAcquire()} allowed it.
	 * @return the diff
	 * @throws HeapDiffException when a snapshot cannot be taken
	 * @throws InterruptedException when interrupted during the window
	 */
	public HeapDiff diff() throws InterruptedException {
		if (this.mode == Mode.HISTOGRAM) {
			return this.histograms.over(this.window, this.query);
		}
		HeapDumpDiffs.DiffInfo started = this.dumps.start();
		try {
			Thread.sleep(this.window.toMillis());
		}
		catch (InterruptedException ex) {
			this.dumps.abandon(started.id());
			throw ex;
		}
		return this.dumps.end(started.id(), this.query, false);
	}

	/** The kind of diff taken. */
	public Mode mode() {
		return this.mode;
	}

	/** Which diff a leak report carries. */
	public enum Mode {

		/** None. */
		OFF,

		/** A histogram diff: two full collections, exact sizes, no files. */
		HISTOGRAM,

		/** A heap-dump diff: two dumps written, parsed and deleted; estimated sizes. */
		HEAP_DUMP

	}

}
