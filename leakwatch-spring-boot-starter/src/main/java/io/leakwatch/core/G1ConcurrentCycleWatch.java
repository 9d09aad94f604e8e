package io.leakwatch.core;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;

/**
 * Watches G1 through JDK Flight Recorder on JDK 17 to 19, whose G1 reports its concurrent cycles to no
 * MXBean, for two things the notifications do not tell there.
 * <ul>
 * <li>The end of its concurrent cycles. Without it G1 gives a base only at mixed and full collections,
 * and a leak whose old regions are all live has neither until the heap is nearly full. The base of a
 * cycle is the heap after it less eden and survivors, read from the cycle's own heap summaries: JFR
 * delivers events about once a second, so reading the pools when the event arrives would give one value
 * for several cycles.</li>
 * <li>Which young pauses were mixed collections ({@code jdk.G1GarbageCollection} of type
 * {@code Mixed}). The notifications cannot tell one from a young pause that only freed humongous regions
 * (the old generation shrinks in both), and only after a mixed collection has the old generation shed
 * the garbage of the regions G1 chose to evacuate: those bases are what the slow trend can follow under
 * G1 ({@link CollectorModel#suitsSlowTrend}).</li>
 * </ul>
 * JDK 20 and later report the cycle's Remark and Cleanup on the {@code G1 Concurrent GC} bean, which
 * gives both from the notifications ({@link G1MixedPhases}), so the detector does not start this there:
 * a {@link RecordingStream} costs more than its events (on JDK 25, 1.7 % of an allocation-heavy
 * workload's throughput, 3.7 % per CPU-second, with no event enabled at all, while a plain recording of
 * the same events cost nothing measurable; BENCHMARKS.md). The stream enables four GC events without stack traces.
 */
final class G1ConcurrentCycleWatch implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(LeakDetector.class.getName());

	private static final int REMEMBERED_COLLECTIONS = 32;

	private final RecordingStream stream;

	private final OldCycleSink oldCycles;

	private final MixedSink mixed;

	/** Heap summaries after each recent collection, by GC id: {heap used, eden used, survivor used}. */
	private final Map<Integer, long[]> afterGc = new LinkedHashMap<>(64, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<Integer, long[]> eldest) {
			return size() > REMEMBERED_COLLECTIONS;
		}

	};

	private G1ConcurrentCycleWatch(RecordingStream stream, OldCycleSink oldCycles, MixedSink mixed) {
		this.stream = stream;
		this.oldCycles = oldCycles;
		this.mixed = mixed;
	}

	/** Whether these collectors are G1 without the {@code G1 Concurrent GC} bean of JDK 20 and later. */
	static boolean needsOldCycles(List<String> collectors) {
		return collectors.contains("G1 Young Generation") && !collectors.contains(CollectorModel.G1_CONCURRENT);
	}

	/**
	 * Starts the stream, or returns {@code null} with one warning when JFR is not available.
	 * @param oldCycles receives each concurrent cycle's end
	 * @param mixed receives each mixed collection
	 * @return the watch, or {@code null}
	 */
	static G1ConcurrentCycleWatch start(OldCycleSink oldCycles, MixedSink mixed) {
		try {
			RecordingStream stream = new RecordingStream();
			G1ConcurrentCycleWatch watch = new G1ConcurrentCycleWatch(stream, oldCycles, mixed);
			stream.enable("jdk.GarbageCollection").withoutStackTrace();
			stream.enable("jdk.G1GarbageCollection").withoutStackTrace();
			stream.enable("jdk.GCHeapSummary").withoutStackTrace();
			stream.enable("jdk.G1HeapSummary").withoutStackTrace();
			stream.setMaxAge(Duration.ofSeconds(30));
			stream.setReuse(true);
			stream.onEvent(watch::onEvent);
			stream.startAsync();
			return watch;
		}
		catch (Throwable ex) {
			logger.log(Level.WARNING, "JDK Flight Recorder is not available, so leakwatch cannot tell G1's mixed "
					+ "collections (the slow-leak test then waits for full collections) nor, before JDK 20, see its "
					+ "concurrent cycles (leak detection then waits for mixed and full collections): " + ex);
			return null;
		}
	}

	private void onEvent(RecordedEvent event) {
		try {
			switch (event.getEventType().getName()) {
				case "jdk.GCHeapSummary" -> {
					if ("After GC".equals(event.getString("when"))) {
						summary(event.getInt("gcId"))[0] = event.getLong("heapUsed");
					}
				}
				case "jdk.G1HeapSummary" -> {
					if ("After GC".equals(event.getString("when"))) {
						long[] summary = summary(event.getInt("gcId"));
						summary[1] = event.getLong("edenUsedSize");
						summary[2] = event.getLong("survivorUsedSize");
					}
				}
				case "jdk.GarbageCollection" -> {
					long[] summary = this.afterGc.get(event.getInt("gcId"));
					if ("G1Old".equals(event.getString("name")) && summary != null
							&& summary[0] >= 0) {
						long old = summary[0] - Math.max(0, summary[1]) - Math.max(0, summary[2]);
						this.oldCycles.accept(event.getEndTime().toEpochMilli(), Math.max(0, old));
					}
				}
				case "jdk.G1GarbageCollection" -> {
					// The heap summaries come before the pause's end, so they are in when its event is.
					long[] summary = this.afterGc.get(event.getInt("gcId"));
					if ("Mixed".equals(event.getString("type")) && summary != null && summary[0] >= 0) {
						this.mixed.accept(event.getEndTime().toEpochMilli(), summary[0]);
					}
				}
				default -> {
				}
			}
		}
		catch (RuntimeException ex) {
			logger.log(Level.DEBUG, "Could not read a JFR GC event", ex);
		}
	}

	private long[] summary(int gcId) {
		return this.afterGc.computeIfAbsent(gcId, (id) -> new long[] { -1, -1, -1 });
	}

	@Override
	public void close() {
		this.stream.close();
	}

	/** Receives the end of an old-generation cycle. */
	@FunctionalInterface
	interface OldCycleSink {

		void accept(long timeMillis, long oldUsed);

	}

	/** Receives a mixed collection: when it ended and the heap in use after it. */
	@FunctionalInterface
	interface MixedSink {

		void accept(long timeMillis, long heapUsed);

	}

}
