package io.leakwatch.core;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

import io.leakwatch.core.ShenandoahSessions.Session;

/**
 * Turns a sequence of collections into memwatch's stats and leak reports. Pure logic with no JVM
 * wiring, so tests feed it synthetic sequences; {@link LeakDetector} feeds it the real ones.
 *
 * <p>
 * Base samples come from old collections ({@link CollectorModel}): the heap they report in use after
 * them. An old collection marks every generation it reports, so what it leaves is live, plus, for the
 * concurrent collectors, what was allocated while it ran. Young collections give no base, but the heap
 * after each is kept (a "floor", bounded in number): when the next full collection, which frees every
 * dead object, frees almost nothing, every object that survived those young collections must have been
 * live then, since the freed bytes bound what died, so the floors become base samples too.
 * That is what lets Serial, Parallel and G1 report a fast leak at their first old collection rather than
 * several collections later, without ever taking a young collection's upper bound for the live heap.
 *
 * <p>
 * When a full collection does not confirm the floors, they still bound the live heap from above at their
 * time, and the full collection measured it exactly, so its base is compared with the lowest floor
 * after the warm-up when it is the first base since: its excess over that floor is growth that
 * certainly happened (the floor overstates the earlier live heap, never understates it). Without it the
 * first base of Parallel and Serial, which examine the old generation first at about 75 % of the heap,
 * could only be a reference, one sample more than memwatch, whose first base counts as growth from 0.
 * A concurrent cycle's base (G1's Remark, ZGC, Shenandoah) also overstates the live heap, so it proves
 * nothing against a floor.
 *
 * <p>
 * {@link #accept} must be called from one thread at a time; the readers ({@link #stats()},
 * {@link #isSuspected()}, {@link #recentLeaks()}) may be called from any thread.
 */
public final class LeakAnalyzer {

	private static final System.Logger logger = System.getLogger(LeakDetector.class.getName());

	private static final double RECENT_PERIOD = 10;

	private static final double ANCIENT_PERIOD = 120;

	private static final int MAX_FLOORS = 512;

	/** How close before a full collection's start a young collection ends when both are one pause. */
	private static final long SAME_PAUSE_MILLIS = 5;

	private final DetectorSettings settings;

	private final long heapMax;

	private final LongSupplier clock;

	private final LeakListener listener;

	private final LeakRule rule;

	private final ArrayDeque<long[]> floors = new ArrayDeque<>();

	private final ArrayDeque<LeakReport> history = new ArrayDeque<>();

	private final ShenandoahSessions shenandoahSessions = new ShenandoahSessions();

	private final G1MixedPhases g1MixedPhases = new G1MixedPhases();

	private volatile HeapStats stats;

	private volatile long warmUpEndMillis;

	private volatile boolean suspected;

	private volatile long suspectedPeak;

	private volatile long lastGrowthMillis;

	private volatile long leaks;

	private long lastReportMillis;

	private double recent;

	private double ancient;

	private boolean warmedUp;

	/** Base samples taken since the warm-up ended. */
	private long samplesSinceWarmUp;

	private String previousCollector = "";

	/**
	 * Creates an analyzer whose warm-up starts now.
	 * @param settings the rule's settings
	 * @param heapMax the maximum heap in bytes; percentages in the settings are of it
	 * @param clock epoch milliseconds, for the warm-up and for clearing a suspected leak
	 * @param listener receives stats and leak reports
	 */
	public LeakAnalyzer(DetectorSettings settings, long heapMax, LongSupplier clock, LeakListener listener) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.heapMax = heapMax;
		this.clock = Objects.requireNonNull(clock, "clock");
		this.listener = Objects.requireNonNull(listener, "listener");
		this.rule = new LeakRule(settings, (heapMax > 0) ? heapMax : Runtime.getRuntime().maxMemory());
		this.stats = HeapStats.empty(heapMax);
		restartWarmUp();
	}

	/**
	 * Starts the warm-up again from now, for example when the application reports that it is ready:
	 * what it allocated while starting is not a leak.
	 */
	public void restartWarmUp() {
		restartWarmUp(this.clock.getAsLong());
	}

	/**
	 * Starts the warm-up again from the given moment: when the application reported that it is ready,
	 * which a caller on another thread knows better than this one, which may run the call later.
	 * @param fromMillis when the warm-up starts again (epoch ms)
	 */
	public void restartWarmUp(long fromMillis) {
		this.warmUpEndMillis = fromMillis + this.settings.warmUp().toMillis();
		if (logger.isLoggable(Level.TRACE)) {
			logger.log(Level.TRACE, "Warm-up ends at {0} (epoch ms)", Long.toString(this.warmUpEndMillis));
		}
		this.warmedUp = false;
		this.samplesSinceWarmUp = 0;
	}

	/**
	 * Takes one collection.
	 * @param event the collection
	 */
	public void accept(GcEvent event) {
		Session session = this.shenandoahSessions.accept(event);
		GcKind kind = CollectorModel.classify(event, session);
		boolean g1Mixed = this.g1MixedPhases.accept(event, kind);
		if (kind != GcKind.PHASE) {
			boolean cleanupAfterRemark = event.gcName().equals(CollectorModel.G1_CONCURRENT)
					&& this.previousCollector.equals(CollectorModel.G1_CONCURRENT);
			this.previousCollector = event.gcName();
			if (cleanupAfterRemark) {
				// One concurrent cycle, one base: Cleanup follows Remark by milliseconds with the same heap.
				return;
			}
		}
		HeapStats current = this.stats;
		switch (kind) {
			case YOUNG -> {
				this.stats = withCounts(current, 0, 1, 0);
				addFloor(event.endTimeMillis(), event.heapAfter());
			}
			case OLD -> {
				this.stats = withCounts(current, 1, 0, CollectorModel.compacts(event, kind, session) ? 1 : 0);
				long base = CollectorModel.baseOf(event, session);
				boolean slowTrend = CollectorModel.suitsSlowTrend(event) || g1Mixed;
				if (CollectorModel.freesAllGarbage(event)) {
					long[] reference = lowestFloorAfterWarmUp();
					if (!confirmFloors(event.reclaimed(), event.endTimeMillis() - event.durationMillis(),
							event.heapAfter(), slowTrend)) {
						sampleReference(reference, event.endTimeMillis(), base, slowTrend);
					}
				}
				this.floors.clear();
				sample(event.endTimeMillis(), base, slowTrend);
				publishStats();
			}
			case PHASE -> {
			}
		}
	}

	/**
	 * Takes a base sample that came from outside the collector notifications: the end of a G1 concurrent
	 * cycle seen through JDK Flight Recorder on JDKs whose G1 has no bean for it. Like the Remark's, it
	 * does not feed the slow trend ({@link CollectorModel#suitsSlowTrend}).
	 * @param timeMillis when the sample was taken
	 * @param oldUsed the old generation's usage then
	 */
	public void acceptOldCycle(long timeMillis, long oldUsed) {
		acceptBase(timeMillis, oldUsed, false);
	}

	/**
	 * Takes a G1 mixed collection seen through JDK Flight Recorder on JDK 17 to 19, whose notification
	 * came as a base already. Only after a mixed collection has G1's old generation shed the garbage of the
	 * regions it evacuated, so only these bases (and full collections') feed the slow trend under G1
	 * ({@link CollectorModel#suitsSlowTrend}); JFR delivers them about a second late. JDK 20 and later
	 * tell them in the notifications ({@link G1MixedPhases}).
	 * @param timeMillis when the collection ended
	 * @param heapUsed the heap in use after it
	 */
	public void acceptMixedCollection(long timeMillis, long heapUsed) {
		if (pastWarmUp(timeMillis)) {
			LeakReport report = this.rule.acceptLow(timeMillis, heapUsed, this.stats);
			if (report != null) {
				trackSuspicion(timeMillis, heapUsed);
				report(report, timeMillis, heapUsed);
			}
		}
		else {
			this.rule.addLow(timeMillis, heapUsed);
		}
	}

	/**
	 * Takes a base sample from outside the collector notifications, for replaying recorded samples.
	 * @param timeMillis when the sample was taken
	 * @param base the base
	 * @param slowTrend whether the sample's collector suits the slow trend
	 */
	void acceptBase(long timeMillis, long base, boolean slowTrend) {
		this.stats = withCounts(this.stats, 1, 0, 0);
		this.floors.clear();
		sample(timeMillis, base, slowTrend);
		publishStats();
	}

	/** The stats so far. */
	public HeapStats stats() {
		return this.stats;
	}

	/** Whether a leak was reported and the base has grown since, within {@code clearAfter}. */
	public boolean isSuspected() {
		return this.suspected
				&& this.clock.getAsLong() - this.lastGrowthMillis < this.settings.clearAfter().toMillis();
	}

	/** How many leaks were reported. */
	public long leakCount() {
		return this.leaks;
	}

	/** The recent leak reports, oldest first, at most {@code historySize}. */
	public List<LeakReport> recentLeaks() {
		synchronized (this.history) {
			return List.copyOf(this.history);
		}
	}

	/** The smallest growth the rule reports, in bytes. */
	public long minGrowthBytes() {
		return this.rule.minGrowth();
	}

	private void addFloor(long timeMillis, long heapAfter) {
		if (this.floors.size() == MAX_FLOORS) {
			this.floors.removeFirst();
		}
		this.floors.addLast(new long[] { timeMillis, heapAfter });
	}

	/**
	 * The lowest floor taken after the warm-up, while no base has been: an upper bound of the live heap at
	 * its time, so what the first full collection's base exceeds it by is growth.
	 */
	private long[] lowestFloorAfterWarmUp() {
		if (this.samplesSinceWarmUp > 0) {
			return null;
		}
		long[] lowest = null;
		for (long[] floor : this.floors) {
			if (floor[0] >= this.warmUpEndMillis && (lowest == null || floor[1] < lowest[1])) {
				lowest = floor;
			}
		}
		return lowest;
	}

	private void sampleReference(long[] reference, long baseMillis, long base, boolean slowTrend) {
		// Only a floor below the base proves anything; one above it says nothing about the live heap then.
		if (reference != null && reference[0] < baseMillis && reference[1] < base) {
			sample(reference[0], reference[1], slowTrend);
		}
	}

	/**
	 * Turns the floors since the last base into base samples when the full collection that ends them freed
	 * at most a quarter of the rise they show (or less than the minimum step): each floor then overstates
	 * the live heap at its time by at most the freed bytes, so at least three quarters of the growth they
	 * show is proven. Otherwise they are dropped, being only upper bounds. A floor that ended as the full
	 * collection began is not a sample of its own: Parallel scavenges before each full collection in the
	 * same pause (with a probe, every second), and that floor, minus what the full collection freed, is its
	 * base again; counted, it made every other sample a stall, which breaks every run of rises.
	 * @param startMillis when the full collection began
	 * @return whether the floors became base samples
	 */
	private boolean confirmFloors(long reclaimed, long startMillis, long base, boolean slowTrend) {
		if (this.floors.isEmpty()) {
			return false;
		}
		long rise = base - this.floors.getFirst()[1];
		if (reclaimed <= Math.max(this.rule.minStep(), rise / 4)) {
			for (long[] floor : this.floors) {
				if (floor[0] < startMillis - SAME_PAUSE_MILLIS) {
					sample(floor[0], Math.max(0, floor[1] - reclaimed), slowTrend);
				}
			}
			this.floors.clear();
			return true;
		}
		this.floors.clear();
		return false;
	}

	private void sample(long timeMillis, long base, boolean slowTrend) {
		HeapStats previous = this.stats;
		long count = previous.baseSamples() + 1;
		if (count == 1) {
			this.recent = base;
			this.ancient = base;
		}
		else {
			this.recent += (base - this.recent) / RECENT_PERIOD;
			this.ancient += (base - this.ancient) / ANCIENT_PERIOD;
		}
		double trend = (this.ancient > 0) ? (this.recent - this.ancient) / this.ancient * 100.0 : 0.0;
		long min = previous.min();
		long max = previous.max();
		if (count >= 3) {
			min = (min < 0) ? base : Math.min(min, base);
			max = Math.max(max, base);
		}
		HeapStats next = new HeapStats(previous.numFullGc(), previous.numIncGc(), previous.heapCompactions(), trend,
				Math.round(this.recent), base, min, max, count, this.heapMax, timeMillis);
		this.stats = next;
		if (logger.isLoggable(Level.TRACE)) {
			// Everything the rule is given, so a run can be replayed against another rule.
			logger.log(Level.TRACE, "Base sample: {0} bytes at {1} (epoch ms)", Long.toString(base),
					Long.toString(timeMillis));
		}
		trackSuspicion(timeMillis, base);
		if (!pastWarmUp(timeMillis)) {
			this.rule.warmUp(timeMillis, base, slowTrend);
			return;
		}
		this.samplesSinceWarmUp++;
		LeakReport report = this.rule.accept(timeMillis, base, slowTrend, next);
		if (report != null) {
			report(report, timeMillis, base);
		}
	}

	/** Whether the sample is past the warm-up; the first one that is ends it. */
	private boolean pastWarmUp(long timeMillis) {
		if (timeMillis < this.warmUpEndMillis) {
			return false;
		}
		if (!this.warmedUp) {
			this.warmedUp = true;
			this.rule.endWarmUp();
		}
		return true;
	}

	private void publishStats() {
		try {
			this.listener.onStats(this.stats);
		}
		catch (RuntimeException ex) {
			logger.log(Level.WARNING, "A stats listener failed", ex);
		}
	}

	private void trackSuspicion(long timeMillis, long base) {
		if (this.suspected && base >= this.suspectedPeak + Math.max(1, this.rule.minStep())) {
			this.suspectedPeak = base;
			this.lastGrowthMillis = timeMillis;
		}
	}

	private void report(LeakReport report, long timeMillis, long base) {
		this.suspectedPeak = this.suspected ? Math.max(this.suspectedPeak, base) : base;
		this.lastGrowthMillis = Math.max(timeMillis, this.clock.getAsLong());
		this.suspected = true;
		if (this.leaks > 0 && timeMillis - this.lastReportMillis < this.settings.reportInterval().toMillis()) {
			return;
		}
		this.lastReportMillis = timeMillis;
		synchronized (this.history) {
			if (this.history.size() == this.settings.historySize()) {
				this.history.removeFirst();
			}
			this.history.addLast(report);
		}
		this.leaks++;
		logger.log(Level.WARNING, "Possible memory leak: {0}", report.reason());
		try {
			this.listener.onLeak(report);
		}
		catch (RuntimeException ex) {
			logger.log(Level.WARNING, "A leak listener failed", ex);
		}
	}

	private static HeapStats withCounts(HeapStats s, long full, long incremental, long compactions) {
		return new HeapStats(s.numFullGc() + full, s.numIncGc() + incremental, s.heapCompactions() + compactions,
				s.usageTrend(), s.estimatedBase(), s.currentBase(), s.min(), s.max(), s.baseSamples(), s.heapMax(),
				s.lastSampleMillis());
	}

}
