package io.leakwatch.core;

import java.lang.System.Logger.Level;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * Watches this JVM's garbage collections and reports leaks: memwatch for the JVM.
 *
 * <p>
 * The notification listener only copies a few numbers out of each notification and hands them to one
 * daemon thread through a bounded queue, which it takes in batches ({@link DetectorThread}); the
 * analysis, the listeners and any logging run there. The JVM sends these notifications from its own
 * service thread, which must never wait on an application's listener, and nothing here may throw into it.
 * The probe, which must not act on a batch the thread has not analysed yet, reads the last old
 * collection straight from the notifications.
 */
public final class LeakDetector implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(LeakDetector.class.getName());

	private static final int QUEUE_CAPACITY = 4096;

	/** How long the detector's thread lets notifications gather before it analyses them. */
	private static final Duration BATCH_INTERVAL = Duration.ofMillis(200);

	private final LeakAnalyzer analyzer;

	private final List<Registration> registrations = new ArrayList<>();

	private final List<String> collectors = new ArrayList<>();

	private final GcNotifications notifications = new GcNotifications();

	private final DetectorThread thread;

	private final AtomicLong dropped = new AtomicLong();

	private final AtomicBoolean warnedNotificationFailure = new AtomicBoolean();

	private final G1ConcurrentCycleWatch g1CycleWatch;

	private final OldGenerationProbe probe;

	/** Whether the notification listener keeps {@link #lastOld} for the probe. */
	private final boolean probing;

	/** The last old collection the notifications reported, for the probe; {@code null} before the first. */
	private volatile OldGenerationProbe.OldCollection lastOld;

	private LeakDetector(DetectorSettings settings, LeakListener listener, boolean jfrForG1) {
		long heapMax = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
		this.analyzer = new LeakAnalyzer(settings, heapMax, System::currentTimeMillis, listener);
		this.probing = !settings.probeInterval().isZero();
		this.thread = DetectorThread.start("leakwatch-detector", QUEUE_CAPACITY, BATCH_INTERVAL);
		for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
			this.collectors.add(bean.getName());
			if (bean instanceof NotificationEmitter emitter && CollectorModel.informs(bean.getName())) {
				NotificationListener notificationListener = this::handleNotification;
				emitter.addNotificationListener(notificationListener, null, null);
				this.registrations.add(new Registration(emitter, notificationListener));
			}
		}
		// JDK 20 and later tell G1's cycles and mixed collections in the notifications (G1MixedPhases).
		this.g1CycleWatch = (jfrForG1 && G1ConcurrentCycleWatch.needsOldCycles(this.collectors))
				? G1ConcurrentCycleWatch.start(this::submitOldCycle, this::submitMixedCollection) : null;
		this.probe = this.probing ? OldGenerationProbe.start(settings.probeInterval(), this.collectors,
				() -> this.lastOld, this.analyzer.minGrowthBytes(), settings.probeStopTheWorld()) : null;
	}

	/**
	 * Starts watching.
	 * @param settings the leak rule's settings
	 * @param listener receives stats and leak reports on the detector's thread
	 * @return the running detector; close it to stop
	 */
	public static LeakDetector start(DetectorSettings settings, LeakListener listener) {
		return start(settings, listener, true);
	}

	/**
	 * Starts watching.
	 * @param settings the leak rule's settings
	 * @param listener receives stats and leak reports on the detector's thread
	 * @param jfrForG1 whether to watch G1 through JDK Flight Recorder on JDKs whose G1 reports its concurrent
	 * cycles to no MXBean (before JDK 20): the cycles' ends, and which of its young pauses were mixed
	 * collections
	 * @return the running detector; close it to stop
	 */
	public static LeakDetector start(DetectorSettings settings, LeakListener listener, boolean jfrForG1) {
		return new LeakDetector(settings, listener, jfrForG1);
	}

	/** The stats so far. */
	public HeapStats stats() {
		return this.analyzer.stats();
	}

	/** Whether a leak was reported and the base has kept growing since. */
	public boolean isSuspected() {
		return this.analyzer.isSuspected();
	}

	/** How many leaks were reported. */
	public long leakCount() {
		return this.analyzer.leakCount();
	}

	/** The recent leak reports, oldest first. */
	public List<LeakReport> recentLeaks() {
		return this.analyzer.recentLeaks();
	}

	/** The names of the collector beans watched. */
	public List<String> collectors() {
		return List.copyOf(this.collectors);
	}

	/** Whether G1's concurrent cycles are watched through JDK Flight Recorder. */
	public boolean watchesG1CyclesWithJfr() {
		return this.g1CycleWatch != null;
	}

	/** Whether leakwatch asks the collector for old collections when it goes quiet. */
	public boolean probes() {
		return this.probe != null;
	}

	/** Notifications dropped because the detector's queue was full. */
	public long droppedNotifications() {
		return this.dropped.get();
	}

	/**
	 * Starts the warm-up again, for example once the application is ready.
	 */
	public void restartWarmUp() {
		// From now, not from when the detector's thread gets to it, up to a batch (200 ms) later: the warm-up
		// then ended that much late too, and a sample taken right after its end fell within it (the sample
		// app's leak under G1 on JDK 25 was then reported one collection late, at 61-62 % of the heap).
		long now = System.currentTimeMillis();
		submit(() -> this.analyzer.restartWarmUp(now));
	}

	@Override
	public void close() {
		for (Registration registration : this.registrations) {
			try {
				registration.emitter().removeNotificationListener(registration.listener());
			}
			catch (ListenerNotFoundException ex) {
				// Already gone: nothing to remove.
			}
		}
		this.registrations.clear();
		if (this.g1CycleWatch != null) {
			this.g1CycleWatch.close();
		}
		if (this.probe != null) {
			this.probe.close();
		}
		this.thread.close();
	}

	private void handleNotification(Notification notification, Object handback) {
		try {
			if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
				return;
			}
			GcEvent event = this.notifications
				.toEvent(GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()));
			if (this.probing && CollectorModel.classify(event) == GcKind.OLD) {
				this.lastOld = new OldGenerationProbe.OldCollection(event.endTimeMillis(),
						CollectorModel.baseOf(event, ShenandoahSessions.Session.OTHER));
			}
			submit(() -> this.analyzer.accept(event));
		}
		catch (Throwable ex) {
			if (this.warnedNotificationFailure.compareAndSet(false, true)) {
				logger.log(Level.WARNING, "Could not read a GC notification; leakwatch ignores such notifications",
						ex);
			}
		}
	}

	private void submit(Runnable task) {
		if (!this.thread.submit(task)) {
			this.dropped.incrementAndGet();
		}
	}

	private void submitOldCycle(long timeMillis, long oldUsed) {
		submit(() -> this.analyzer.acceptOldCycle(timeMillis, oldUsed));
	}

	private void submitMixedCollection(long timeMillis, long heapUsed) {
		submit(() -> this.analyzer.acceptMixedCollection(timeMillis, heapUsed));
	}

	private record Registration(NotificationEmitter emitter, NotificationListener listener) {
	}

}
