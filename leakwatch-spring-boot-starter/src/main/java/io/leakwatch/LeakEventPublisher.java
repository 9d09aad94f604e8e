package io.leakwatch;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.leakwatch.core.HeapStats;
import io.leakwatch.core.LeakListener;
import io.leakwatch.core.LeakReport;
import io.leakwatch.heap.HeapDiff;
import io.leakwatch.heap.HeapDiffException;
import io.leakwatch.heap.LeakDiffer;
import io.leakwatch.profile.SuspectReport;
import io.leakwatch.profile.SuspectSessions;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Bridges the detector's listener to Spring application events and, when asked, takes a short diff
 * and names suspects before publishing a leak, so the event and its log say what grew and which code
 * made it. That work runs on its own thread: the detector's thread never waits for a snapshot.
 */
public final class LeakEventPublisher implements LeakListener, AutoCloseable {

	private static final System.Logger logger = System.getLogger(LeakEventPublisher.class.getName());

	private final ApplicationEventPublisher publisher;

	private final @Nullable LeakDiffer differ;

	private final @Nullable SuspectSessions suspects;

	private final @Nullable ExecutorService executor;

	/**
	 * Creates a bridge that publishes leaks at once.
	 * @param publisher where events go
	 */
	public LeakEventPublisher(ApplicationEventPublisher publisher) {
		this(publisher, null, null);
	}

	/**
	 * Creates a bridge.
	 * @param publisher where events go
	 * @param differ takes the diff attached to leak events, or null for none
	 * @param suspects names suspects for leak reports without a diff when the profiler samples always, or
	 * null
	 */
	public LeakEventPublisher(ApplicationEventPublisher publisher, @Nullable LeakDiffer differ,
			@Nullable SuspectSessions suspects) {
		this.publisher = publisher;
		this.differ = (differ != null && differ.mode() != LeakDiffer.Mode.OFF) ? differ : null;
		this.suspects = (suspects != null && suspects.mode() == SuspectSessions.Mode.ALWAYS) ? suspects : null;
		// One report at a time and at most one waiting: leak reports come at most every report-interval.
		this.executor = (this.differ != null || this.suspects != null) ? new ThreadPoolExecutor(1, 1, 0,
				TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1), (runnable) -> {
					Thread thread = new Thread(runnable, "leakwatch-leak-diff");
					thread.setDaemon(true);
					return thread;
				}) : null;
	}

	@Override
	public void onStats(HeapStats stats) {
		if (this.suspects != null) {
			try {
				this.suspects.onStats(stats);
			}
			catch (RuntimeException ex) {
				logger.log(System.Logger.Level.WARNING, "leakwatch could not switch the suspect profiler's stack "
						+ "traces", ex);
			}
		}
		this.publisher.publishEvent(new HeapStatsEvent(this, stats));
	}

	@Override
	public void onLeak(LeakReport report) {
		if (this.executor == null) {
			this.publisher.publishEvent(new LeakDetectedEvent(this, report));
			return;
		}
		boolean diff = this.differ != null && this.differ.tryAcquire();
		String note = (this.differ != null && !diff)
				? "no diff: the last leak diff was taken less than leakwatch.leak-diff.min-interval ago" : null;
		if (!diff && this.suspects == null) {
			this.publisher.publishEvent(new LeakDetectedEvent(this, report, null, note, null));
			return;
		}
		try {
			// The diff and the path search pause the application; the detector's thread never waits for them.
			this.executor.execute(() -> publishWithDiff(report, diff, note));
		}
		catch (RejectedExecutionException ex) {
			this.publisher.publishEvent(new LeakDetectedEvent(this, report, null,
					"no diff: another leak report is being prepared", null));
		}
	}

	private void publishWithDiff(LeakReport report, boolean takeDiff, @Nullable String skipped) {
		HeapDiff diff = null;
		String note = skipped;
		if (takeDiff) {
			try {
				diff = this.differ.diff();
				logger.log(System.Logger.Level.WARNING, describe(diff));
			}
			catch (HeapDiffException ex) {
				note = "no diff: " + ex.getMessage();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				note = "no diff: interrupted";
			}
			catch (RuntimeException ex) {
				note = "no diff: " + ex;
			}
			if (note != null) {
				logger.log(System.Logger.Level.WARNING, "Leak diff not taken, " + note);
			}
		}
		SuspectReport named = (diff != null) ? diff.suspects() : null;
		if (named == null && this.suspects != null) {
			try {
				named = this.suspects.forLeak();
			}
			catch (RuntimeException ex) {
				logger.log(System.Logger.Level.WARNING, "Could not name leak suspects", ex);
			}
		}
		String line = suspect(named);
		if (line != null) {
			logger.log(System.Logger.Level.WARNING, line);
		}
		this.publisher.publishEvent(new LeakDetectedEvent(this, report, diff, note, named));
	}

	/**
	 * The log line of a leak diff: {@code Leak diff (class-histogram, 0.5s): +12 mb; io.Foo +12 (+12 mb), ...}.
	 * @param diff the diff
	 * @return the line
	 */
	static String describe(HeapDiff diff) {
		String rows = diff.change().details().stream()
			.map((detail) -> detail.what() + " " + signed(detail.added() - detail.removed()) + " (" + detail.size() + ")")
			.collect(Collectors.joining(", "));
		long millis = diff.after().time().toEpochMilli() - diff.before().time().toEpochMilli();
		return "Leak diff (" + diff.source() + ", " + millis + " ms): heap " + diff.change().size() + "; "
				+ (rows.isEmpty() ? "no class changed" : "grew most: " + rows);
	}

	/**
	 * The log line of the top suspect, or of why there is none.
	 * @param report the suspects
	 * @return the line, or null without a report
	 */
	static String suspect(@Nullable SuspectReport report) {
		if (report == null) {
			return null;
		}
		if (!report.available()) {
			return "Leak suspect: none (" + report.unavailableReason() + ")";
		}
		return report.top().map((top) -> "Leak suspect: " + top.oneLine())
			.orElse("Leak suspect: none of the classes asked about has a surviving JFR sample ("
					+ report.samplesRead() + " samples read)");
	}

	private static String signed(long value) {
		return (value >= 0) ? "+" + value : Long.toString(value);
	}

	/** Stops the diff thread. */
	@Override
	public void close() {
		if (this.executor != null) {
			this.executor.shutdownNow();
		}
	}

}
