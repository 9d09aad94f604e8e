package io.leakwatch.core;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;

/**
 * Sees the end of G1's concurrent cycles through JDK Flight Recorder, on JDKs before 20 whose G1 reports
 * them to no MXBean. Without it G1 gives a base only at mixed and full collections, and a leak whose old
 * regions are all live has neither until the heap is nearly full. The stream enables a single event
 * ({@code jdk.GarbageCollection}, a few per cycle), so its cost is JFR's idle cost.
 */
final class G1ConcurrentCycleWatch implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(LeakDetector.class.getName());

	private final RecordingStream stream;

	private G1ConcurrentCycleWatch(RecordingStream stream) {
		this.stream = stream;
	}

	/** Whether these collectors are G1 without the {@code G1 Concurrent GC} bean of JDK 20 and later. */
	static boolean needed(List<String> collectors) {
		return collectors.contains("G1 Young Generation") && !collectors.contains("G1 Concurrent GC");
	}

	/**
	 * Starts the stream, or returns {@code null} with one warning when JFR is not available.
	 * @param oldUsed reads the old generation's current usage
	 * @param sink receives each cycle's end
	 * @return the watch, or {@code null}
	 */
	static G1ConcurrentCycleWatch start(LongSupplier oldUsed, OldCycleSink sink) {
		try {
			RecordingStream stream = new RecordingStream();
			stream.enable("jdk.GarbageCollection").withoutStackTrace();
			stream.setMaxAge(Duration.ofSeconds(30));
			stream.setReuse(true);
			stream.onEvent("jdk.GarbageCollection", (event) -> onCollection(event, oldUsed, sink));
			stream.startAsync();
			return new G1ConcurrentCycleWatch(stream);
		}
		catch (Throwable ex) {
			logger.log(Level.WARNING, "JDK Flight Recorder is not available, so G1 concurrent cycles are not seen on "
					+ "this JDK; leak detection on G1 waits for mixed and full collections: " + ex);
			return null;
		}
	}

	private static void onCollection(RecordedEvent event, LongSupplier oldUsed, OldCycleSink sink) {
		try {
			if ("G1Old".equals(event.getString("name"))) {
				sink.accept(event.getEndTime().toEpochMilli(), oldUsed.getAsLong(), -1);
			}
		}
		catch (RuntimeException ex) {
			logger.log(Level.DEBUG, "Could not read a JFR GC event", ex);
		}
	}

	@Override
	public void close() {
		this.stream.close();
	}

	/** Receives the end of an old-generation cycle. */
	@FunctionalInterface
	interface OldCycleSink {

		void accept(long timeMillis, long oldUsed, long reclaimed);

	}

}
