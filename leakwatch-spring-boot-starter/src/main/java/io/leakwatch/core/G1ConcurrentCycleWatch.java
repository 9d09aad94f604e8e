package io.leakwatch.core;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;

/**
 * Sees the end of G1's concurrent cycles through JDK Flight Recorder, on JDKs before 20 whose G1 reports
 * them to no MXBean. Without it G1 gives a base only at mixed and full collections, and a leak whose old
 * regions are all live has neither until the heap is nearly full. The base of a cycle is the heap after
 * it less eden and survivors, read from the cycle's own heap summaries: JFR delivers events about once a
 * second, so reading the pools when the event arrives would give one value for several cycles. The
 * stream enables three GC events (a few per collection) without stack traces, so its cost is JFR's
 * idle cost.
 */
final class G1ConcurrentCycleWatch implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(LeakDetector.class.getName());

	private static final int REMEMBERED_COLLECTIONS = 32;

	private final RecordingStream stream;

	private final OldCycleSink sink;

	/** Heap summaries after each recent collection, by GC id: {heap used, eden used, survivor used}. */
	private final Map<Integer, long[]> afterGc = new LinkedHashMap<>(64, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<Integer, long[]> eldest) {
			return size() > REMEMBERED_COLLECTIONS;
		}

	};

	private G1ConcurrentCycleWatch(RecordingStream stream, OldCycleSink sink) {
		this.stream = stream;
		this.sink = sink;
	}

	/** Whether these collectors are G1 without the {@code G1 Concurrent GC} bean of JDK 20 and later. */
	static boolean needed(List<String> collectors) {
		return collectors.contains("G1 Young Generation") && !collectors.contains(CollectorModel.G1_CONCURRENT);
	}

	/**
	 * Starts the stream, or returns {@code null} with one warning when JFR is not available.
	 * @param sink receives each cycle's end
	 * @return the watch, or {@code null}
	 */
	static G1ConcurrentCycleWatch start(OldCycleSink sink) {
		try {
			RecordingStream stream = new RecordingStream();
			G1ConcurrentCycleWatch watch = new G1ConcurrentCycleWatch(stream, sink);
			stream.enable("jdk.GarbageCollection").withoutStackTrace();
			stream.enable("jdk.GCHeapSummary").withoutStackTrace();
			stream.enable("jdk.G1HeapSummary").withoutStackTrace();
			stream.setMaxAge(Duration.ofSeconds(30));
			stream.setReuse(true);
			stream.onEvent(watch::onEvent);
			stream.startAsync();
			return watch;
		}
		catch (Throwable ex) {
			logger.log(Level.WARNING, "JDK Flight Recorder is not available, so G1 concurrent cycles are not seen on "
					+ "this JDK; leak detection on G1 waits for mixed and full collections: " + ex);
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
					if ("G1Old".equals(event.getString("name")) && summary != null && summary[0] >= 0) {
						long old = summary[0] - Math.max(0, summary[1]) - Math.max(0, summary[2]);
						this.sink.accept(event.getEndTime().toEpochMilli(), Math.max(0, old));
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

}
