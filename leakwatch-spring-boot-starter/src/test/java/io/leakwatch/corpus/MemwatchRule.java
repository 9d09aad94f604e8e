package io.leakwatch.corpus;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

import io.leakwatch.core.CollectorModel;
import io.leakwatch.core.GcEvent;
import io.leakwatch.core.GcKind;
import io.leakwatch.core.ShenandoahSessions;

/**
 * node-memwatch's original leak rule, ported to the JVM as the corpus's first baseline, so leakwatch's
 * figures are compared with what it replaces on the same collections.
 *
 * <p>
 * memwatch (lloyd/node-memwatch, {@code memwatch.cc}) looks only at V8's mark-sweep-compact
 * collections and at the heap in use after each. {@code last_base} starts at 0, so the first such
 * collection already counts as growth (no warm-up). Each collection whose heap-after exceeds
 * {@code last_base} by at least one byte increments {@code consecutive_growth} (the first one records the
 * start time and base); any other resets it to 0. At 5 it emits {@code leak} with
 * {@code growth = heap - leak_base_start} and resets to 0, so a leak that goes on is reported every 5
 * collections. The JVM's counterpart of a mark-sweep-compact is a collection that examines the old
 * generation, which is what {@link CollectorModel#classify} calls {@link GcKind#OLD}; the heap after is
 * the sum of the heap pools it reports. What it does not get is leakwatch's additions: no JFR view of
 * JDK 17's G1 concurrent cycles, no confirmed young-collection floors.
 */
final class MemwatchRule implements AutoCloseable {

	/** memwatch's hard-coded 5. */
	static final int CONSECUTIVE = 5;

	private final List<Registration> registrations = new ArrayList<>();

	private final Alert alert;

	private final AtomicLong samples = new AtomicLong();

	private final AtomicLong alerts = new AtomicLong();

	/** Only the notification thread uses it, in the order the JVM sent the notifications. */
	private final ShenandoahSessions shenandoahSessions = new ShenandoahSessions();

	private long lastBase;

	private int consecutiveGrowth;

	private long leakBaseStart;

	private MemwatchRule(Alert alert) {
		this.alert = alert;
	}

	/** Receives memwatch's {@code leak} event. */
	interface Alert {

		void leak(long sampleNumber, long growth, long base);

	}

	static MemwatchRule start(Alert alert) {
		MemwatchRule rule = new MemwatchRule(alert);
		for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
			if (bean instanceof NotificationEmitter emitter) {
				NotificationListener listener = rule::handle;
				emitter.addNotificationListener(listener, null, null);
				rule.registrations.add(new Registration(emitter, listener));
			}
		}
		return rule;
	}

	boolean fired() {
		return this.alerts.get() > 0;
	}

	long alerts() {
		return this.alerts.get();
	}

	long samples() {
		return this.samples.get();
	}

	private void handle(Notification notification, Object handback) {
		if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
			return;
		}
		GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
			.from((CompositeData) notification.getUserData());
		long before = 0;
		long after = 0;
		long oldBefore = -1;
		long oldAfter = -1;
		Map<String, MemoryUsage> usageBefore = info.getGcInfo().getMemoryUsageBeforeGc();
		for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
			if (!isHeapPool(pool.getKey())) {
				continue;
			}
			long used = pool.getValue().getUsed();
			MemoryUsage poolBefore = usageBefore.get(pool.getKey());
			long usedBefore = (poolBefore != null) ? poolBefore.getUsed() : used;
			after += used;
			before += usedBefore;
			if (pool.getKey().contains("Old Gen") || pool.getKey().contains("Tenured Gen")) {
				oldAfter = Math.max(0, oldAfter) + used;
				oldBefore = Math.max(0, oldBefore) + usedBefore;
			}
		}
		GcEvent event = new GcEvent(info.getGcName(), info.getGcAction(), info.getGcCause(), 0,
				info.getGcInfo().getDuration(), before, after, oldBefore, oldAfter);
		if (CollectorModel.classify(event, this.shenandoahSessions.accept(event)) == GcKind.OLD) {
			accept(after);
		}
	}

	/** memwatch's {@code AsyncMemwatchAfter} for one mark-sweep-compact, on the notification thread. */
	synchronized void accept(long heapUsage) {
		long n = this.samples.incrementAndGet();
		if (this.lastBase < heapUsage) {
			if (this.consecutiveGrowth == 0) {
				this.leakBaseStart = heapUsage;
			}
			this.consecutiveGrowth++;
			if (this.consecutiveGrowth >= CONSECUTIVE) {
				this.consecutiveGrowth = 0;
				this.alerts.incrementAndGet();
				this.alert.leak(n, heapUsage - this.leakBaseStart, heapUsage);
			}
		}
		else {
			this.consecutiveGrowth = 0;
		}
		this.lastBase = heapUsage;
	}

	private static boolean isHeapPool(String pool) {
		// The non-heap pools (Metaspace, code cache) are not in memwatch's V8 heap either.
		return !(pool.contains("Metaspace") || pool.contains("Code") || pool.contains("code")
				|| pool.contains("Class Space"));
	}

	@Override
	public void close() {
		for (Registration registration : this.registrations) {
			try {
				registration.emitter().removeNotificationListener(registration.listener());
			}
			catch (ListenerNotFoundException ex) {
				// Already removed.
			}
		}
	}

	private record Registration(NotificationEmitter emitter, NotificationListener listener) {
	}

}
