package io.leakwatch.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.leakwatch.core.HeapStats;

/**
 * When the suspect profiler samples, and for which classes suspects are asked: it samples while at
 * least one diff is open ({@link Mode#DIFFS}), all the time ({@link Mode#ALWAYS}) or never; JFR's
 * sampler is one per JVM, so every open diff shares one profiler.
 *
 * <p>
 * Samples record stack traces while a diff is open. In {@link Mode#ALWAYS} they also do while the live
 * heap's base rises to new highs ({@link BaseRise}, fed by {@link #onStats}), and otherwise not unless
 * {@code continuousStackTraces} is set: with stack traces the sampler cost an allocation-heavy workload
 * up to 2.4 % of its throughput, without them under 1 % (medians; BENCHMARKS.md), and a leak raises the
 * base before it is reported, so its samples have them.
 */
public final class SuspectSessions implements AutoCloseable {

	/** leakwatch's own packages and classes: a diff's own snapshots are live while suspects are searched. */
	private static final List<String> OWN_PACKAGES = List.of("io.leakwatch.core.", "io.leakwatch.heap.",
			"io.leakwatch.profile.", "io.leakwatch.actuate.", "io.leakwatch.autoconfigure.", "io.leakwatch.metrics.");

	private static final List<String> OWN_CLASSES = List.of("io.leakwatch.LeakEventPublisher",
			"io.leakwatch.LeakDetectedEvent", "io.leakwatch.HeapStatsEvent");

	/**
	 * How many non-JDK classes that grew are asked about at most. Each costs one pass over the few hundred
	 * samples JFR keeps, so asking about all of them is cheap, and ranking by growth first misses the
	 * leak's holder: 30 {@code LeakyThing}s (720 bytes) grew less than the Jackson and Spring objects that
	 * a diff's first HTTP requests create (the sample's test, started right after the application).
	 */
	private static final int MAX_APPLICATION_CANDIDATES = 512;

	private final Mode mode;

	private final ProfilerSettings settings;

	private final int classes;

	private final int maxSites;

	private final boolean continuousStackTraces;

	private final Set<String> open = new HashSet<>();

	private final BaseRise rise = new BaseRise();

	private boolean rising;

	private SuspectProfiler profiler;

	/**
	 * Creates the sessions; in {@link Mode#ALWAYS} the profiler starts now, recording stack traces only
	 * while a diff is open or the heap rises.
	 * @param mode when to sample
	 * @param settings the profiler's settings
	 * @param classes for how many grown classes of each kind (application, JDK) suspects are asked
	 * @param maxSites how many allocation sites each suspect keeps
	 */
	public SuspectSessions(Mode mode, ProfilerSettings settings, int classes, int maxSites) {
		this(mode, settings, classes, maxSites, false);
	}

	/**
	 * Creates the sessions; in {@link Mode#ALWAYS} the profiler starts now.
	 * @param mode when to sample
	 * @param settings the profiler's settings
	 * @param classes for how many grown classes of each kind (application, JDK) suspects are asked
	 * @param maxSites how many allocation sites each suspect keeps
	 * @param continuousStackTraces in {@link Mode#ALWAYS}, whether samples record stack traces all the
	 * time rather than only while a diff is open or the heap rises
	 */
	public SuspectSessions(Mode mode, ProfilerSettings settings, int classes, int maxSites,
			boolean continuousStackTraces) {
		if (classes < 1 || maxSites < 1) {
			throw new IllegalArgumentException("classes and maxSites must be at least 1, were " + classes + " and "
					+ maxSites);
		}
		this.mode = mode;
		this.settings = settings;
		this.classes = classes;
		this.maxSites = maxSites;
		this.continuousStackTraces = continuousStackTraces;
		if (mode == Mode.ALWAYS) {
			this.profiler = SuspectProfiler.start(settings, continuousStackTraces);
		}
	}

	/**
	 * Sessions that never sample, for diffs without suspects.
	 * @return sessions in {@link Mode#OFF}
	 */
	public static SuspectSessions off() {
		return new SuspectSessions(Mode.OFF, ProfilerSettings.defaults(), 1, 1);
	}

	/**
	 * A diff started: sample from now on.
	 * @param id the diff's id
	 */
	public synchronized void opened(String id) {
		if (this.mode == Mode.OFF || !this.open.add(id)) {
			return;
		}
		if (this.mode == Mode.DIFFS && this.profiler == null) {
			this.profiler = SuspectProfiler.start(this.settings);
		}
		updateStackTraces();
	}

	/**
	 * The detector took a base sample: in {@link Mode#ALWAYS}, stack traces are recorded from the base's
	 * first new high on (see {@link BaseRise}).
	 * @param stats the detector's stats after the sample
	 */
	public synchronized void onStats(HeapStats stats) {
		if (this.mode == Mode.ALWAYS) {
			this.rising = this.rise.accept(stats);
			updateStackTraces();
		}
	}

	/** Whether samples record their stack traces now. */
	public synchronized boolean recordsStackTraces() {
		return this.profiler != null && this.profiler.recordsStackTraces();
	}

	private void updateStackTraces() {
		if (this.mode == Mode.ALWAYS && this.profiler != null) {
			this.profiler.stackTraces(this.continuousStackTraces || this.rising || !this.open.isEmpty());
		}
	}

	/**
	 * A diff ended without a result (expired, abandoned): stop sampling if it was the last.
	 * @param id the diff's id
	 */
	public synchronized void abandoned(String id) {
		release(id);
	}

	/**
	 * A diff ended: the suspects for the classes that grew, then stop sampling if it was the last.
	 * @param id the diff's id, or null for a report outside any diff (a leak event in
	 * {@link Mode#ALWAYS})
	 * @param grown the classes that grew, largest growth first, as Java source spells them
	 * @return the report; it says why when there are no suspects
	 */
	public synchronized SuspectReport ended(String id, List<String> grown) {
		try {
			if (this.profiler == null) {
				String reason = (this.mode == Mode.OFF)
						? "the suspect profiler is off (leakwatch.profiler=off)"
						: "the suspect profiler was not sampling during this diff";
				return SuspectReport.unavailable(List.of(), this.settings.cutoff(), reason);
			}
			List<String> asked = candidates(grown);
			SuspectReport report = this.profiler.suspects(asked, this.maxSites);
			return rank(report);
		}
		catch (RuntimeException ex) {
			// A diff is worth more than its suspects: never lose it to them.
			return SuspectReport.unavailable(List.of(), this.settings.cutoff(), "suspects could not be named: " + ex);
		}
		finally {
			if (id != null) {
				release(id);
			}
		}
	}

	/**
	 * Suspects for a leak report without a diff: while the profiler samples (always, or during an open
	 * diff), the application's classes that hold the most surviving samples.
	 * @return the report, or null when the profiler is not sampling
	 */
	public synchronized SuspectReport forLeak() {
		if (this.profiler == null) {
			return null;
		}
		return rank(this.profiler.suspectsOfHolders(this.classes, this.maxSites, SuspectSessions::isOwn));
	}

	/** When the profiler samples. */
	public Mode mode() {
		return this.mode;
	}

	@Override
	public synchronized void close() {
		this.open.clear();
		if (this.profiler != null) {
			this.profiler.close();
			this.profiler = null;
		}
	}

	private void release(String id) {
		if (!this.open.remove(id)) {
			return;
		}
		if (this.open.isEmpty() && this.mode == Mode.DIFFS && this.profiler != null) {
			this.profiler.close();
			this.profiler = null;
		}
		updateStackTraces();
	}

	/**
	 * The classes to ask about: the non-JDK classes that grew (up to {@link #MAX_APPLICATION_CANDIDATES}),
	 * then the JDK's that grew most. A leak's retained bytes are mostly JDK types ({@code byte[]},
	 * {@code HashMap$Node}); the class a developer fixes is the one of theirs that holds or makes them,
	 * which may have grown by a few small instances only, less than any framework's, so all of those are
	 * asked about ({@link #rank} keeps the best supported).
	 */
	private List<String> candidates(List<String> grown) {
		List<String> application = new ArrayList<>();
		List<String> jdk = new ArrayList<>();
		for (String name : new LinkedHashSet<>(grown)) {
			if (isOwn(name)) {
				continue;
			}
			boolean isJdk = isJdk(name);
			List<String> bucket = isJdk ? jdk : application;
			if (bucket.size() < (isJdk ? this.classes : MAX_APPLICATION_CANDIDATES)) {
				bucket.add(name);
			}
		}
		application.addAll(jdk);
		return application;
	}

	/**
	 * Suspects with samples first, non-JDK classes before the JDK's, most samples first (JFR weighs its
	 * samples by allocation, so more surviving samples mean more of what grew); then those without, up
	 * to {@code 2 * classes} in all.
	 */
	private SuspectReport rank(SuspectReport report) {
		List<Suspect> ranked = new ArrayList<>(report.suspects());
		ranked.sort(Comparator.comparing((Suspect suspect) -> !suspect.sampled())
			.thenComparing((suspect) -> isJdk(suspect.className()))
			.thenComparing(Comparator.comparingInt(Suspect::samples).reversed()));
		List<Suspect> kept = ranked.subList(0, Math.min(ranked.size(), 2 * this.classes));
		return new SuspectReport(kept, report.samplesRead(), report.samplesWithPath(), report.searchTime(),
				report.cutoff(), report.unavailableReason());
	}

	private static boolean isOwn(String className) {
		for (String prefix : OWN_PACKAGES) {
			if (className.startsWith(prefix)) {
				return true;
			}
		}
		for (String own : OWN_CLASSES) {
			if (className.equals(own) || className.startsWith(own + "$")) {
				return true;
			}
		}
		return false;
	}

	private boolean isJdk(String className) {
		String element = className.replace("[]", "");
		if (element.indexOf('.') < 0) {
			return true; // primitive arrays
		}
		for (String prefix : this.settings.skippedPackages()) {
			if (element.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	/** When the suspect profiler samples. */
	public enum Mode {

		/** Never: diffs say suspects are off. */
		OFF,

		/** While at least one diff is open. */
		DIFFS,

		/** From start-up on, so leak reports name suspects too. */
		ALWAYS

	}

}
