package io.leakwatch.core;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;

/**
 * Turns this JVM's GC notifications into {@link GcEvent}s: the heap pools' usage before and after summed,
 * the old generation's apart, the end time in epoch milliseconds. The pools are read once, when it is
 * made, so the notification thread only sums a few numbers.
 *
 * <p>
 * G1's Remark and Cleanup (JDK 20 and later, on the {@code G1 Concurrent GC} bean) collect no young
 * region, so eden after them holds whatever the application allocated since the last young pause (0 to
 * 116 MB of a 256 MB heap in a program allocating through a marking on JDK 25; one Remark base of 95 %
 * of the heap in the corpus's slow leak, whose live heap was 25 %): their heap leaves eden out, and is
 * then what a young pause's heap after is, the old generation and survivors. The old generation alone
 * was tried and put each Remark a few MB below the young pause before it, which stalled every run of
 * rises under the probe.
 */
final class GcNotifications {

	private final Set<String> heapPools = new HashSet<>();

	private final Set<String> oldPools = new HashSet<>();

	private final Set<String> edenPools = new HashSet<>();

	private final long jvmStartMillis;

	GcNotifications() {
		this.jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				this.heapPools.add(pool.getName());
				if (isOldGeneration(pool.getName())) {
					this.oldPools.add(pool.getName());
				}
				if (pool.getName().contains("Eden")) {
					this.edenPools.add(pool.getName());
				}
			}
		}
	}

	/**
	 * The collection a notification tells.
	 * @param info the notification's content
	 * @return the collection
	 */
	GcEvent toEvent(GarbageCollectionNotificationInfo info) {
		GcInfo gcInfo = info.getGcInfo();
		Map<String, MemoryUsage> before = gcInfo.getMemoryUsageBeforeGc();
		Map<String, MemoryUsage> after = gcInfo.getMemoryUsageAfterGc();
		long heapBefore = 0;
		long heapAfter = 0;
		long oldBefore = -1;
		long oldAfter = -1;
		boolean withoutEden = CollectorModel.G1_CONCURRENT.equals(info.getGcName());
		for (Map.Entry<String, MemoryUsage> entry : after.entrySet()) {
			String pool = entry.getKey();
			if (!this.heapPools.contains(pool) || (withoutEden && this.edenPools.contains(pool))) {
				continue;
			}
			MemoryUsage usageBefore = before.get(pool);
			long used = entry.getValue().getUsed();
			long usedBefore = (usageBefore != null) ? usageBefore.getUsed() : used;
			heapAfter += used;
			heapBefore += usedBefore;
			if (this.oldPools.contains(pool)) {
				oldAfter = Math.max(oldAfter, 0) + used;
				oldBefore = Math.max(oldBefore, 0) + usedBefore;
			}
		}
		return new GcEvent(info.getGcName(), info.getGcAction(), info.getGcCause(),
				this.jvmStartMillis + gcInfo.getEndTime(), gcInfo.getDuration(), heapBefore, heapAfter, oldBefore,
				oldAfter);
	}

	static boolean isOldGeneration(String poolName) {
		return poolName.contains("Old Gen") || poolName.contains("Tenured Gen");
	}

}
