package io.leakwatch;

import java.time.Duration;
import java.time.Instant;

import io.leakwatch.core.HeapStats;
import io.leakwatch.core.LeakReport;
import io.leakwatch.heap.HeapDiff;
import io.leakwatch.profile.SuspectReport;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEvent;

/**
 * Published when the live heap keeps growing: memwatch's {@code leak} event as a Spring application
 * event. Listeners run on leakwatch's detector thread (or, when {@code leakwatch.leak-diff.mode} asks
 * for a diff, on the thread that took it), never on the JVM's GC notification thread.
 */
public final class LeakDetectedEvent extends ApplicationEvent {

	private final LeakReport report;

	private final @Nullable HeapDiff diff;

	private final @Nullable String diffNote;

	private final @Nullable SuspectReport suspects;

	/**
	 * Creates an event without a diff.
	 * @param source the component that published it
	 * @param report what was detected
	 */
	public LeakDetectedEvent(Object source, LeakReport report) {
		this(source, report, null, null, null);
	}

	/**
	 * Creates an event.
	 * @param source the component that published it
	 * @param report what was detected
	 * @param diff what grew over a short window after the detection, or null
	 * @param diffNote why there is no diff when one was asked for, or null
	 * @param suspects which code allocated what grew, or null when the profiler was not sampling
	 */
	public LeakDetectedEvent(Object source, LeakReport report, @Nullable HeapDiff diff, @Nullable String diffNote,
			@Nullable SuspectReport suspects) {
		super(source);
		this.report = report;
		this.diff = diff;
		this.diffNote = diffNote;
		this.suspects = suspects;
	}

	/**
	 * What grew over a short window right after the detection ({@code leakwatch.leak-diff.*}): the top
	 * classes by growth.
	 * @return the diff, or null when none was taken
	 */
	public @Nullable HeapDiff getDiff() {
		return this.diff;
	}

	/**
	 * Which code allocated what grew and what keeps it alive, from JDK Flight Recorder's samples: the
	 * diff's suspects, or with {@code leakwatch.profiler=always} and no diff the application classes
	 * holding the most samples. {@code getSuspects().top()} is the one to look at first.
	 * @return the suspects, or null when the profiler was not sampling
	 */
	public @Nullable SuspectReport getSuspects() {
		return this.suspects;
	}

	/**
	 * Why the event carries no diff although {@code leakwatch.leak-diff.mode} asks for one (rate limit,
	 * a snapshot that failed).
	 * @return the reason, or null
	 */
	public @Nullable String getDiffNote() {
		return this.diffNote;
	}

	/** The whole report. */
	public LeakReport getReport() {
		return this.report;
	}

	/** How much the base grew over the window, in bytes. */
	public long getGrowthBytes() {
		return this.report.growthBytes();
	}

	/** When the window's first base sample was taken. */
	public Instant getWindowStart() {
		return this.report.windowStart();
	}

	/** When the window's last base sample was taken. */
	public Instant getWindowEnd() {
		return this.report.windowEnd();
	}

	/** The window's length. */
	public Duration getDuration() {
		return this.report.duration();
	}

	/** The growth rate in bytes per hour. */
	public double getRateBytesPerHour() {
		return this.report.rateBytesPerHour();
	}

	/** How many base samples the window holds. */
	public int getSamples() {
		return this.report.samples();
	}

	/** memwatch's reason, for example {@code heap growth over 5 consecutive GCs (4s) - 110.24 mb/hr}. */
	public String getReason() {
		return this.report.reason();
	}

	/** The stats when the leak was detected. */
	public HeapStats getStats() {
		return this.report.stats();
	}

}
