package io.leakwatch.core;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * A child JVM for {@link G1ConcurrentCycleWatchIT}: fills old regions half with garbage, so that G1's
 * next marking finds them worth evacuating, starts a marking, then allocates until G1 has run mixed
 * collections and JFR has delivered them. Prints {@code MIXED <epoch ms> <heap used>} for each mixed
 * collection the watch reports, and {@code PHASEMIXED <heap used>} for each young pause
 * {@link G1MixedPhases} takes for one from the GC notifications (JDK 20 and later); run it with
 * {@code -Xlog:gc} to compare with G1's own account.
 */
final class G1MixedProgram {

	private G1MixedProgram() {
	}

	public static void main(String[] args) throws Exception {
		AtomicInteger mixed = new AtomicInteger();
		G1MixedPhases phases = new G1MixedPhases();
		GcNotifications notifications = new GcNotifications();
		for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
			((NotificationEmitter) bean).addNotificationListener((notification, handback) -> {
				GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
					.from((CompositeData) notification.getUserData());
				GcEvent event = notifications.toEvent(info);
				if (event.gcName().equals(CollectorModel.G1_CONCURRENT)) {
					// The pools as the notification gives them, beside the heap leakwatch takes from it.
					long total = 0;
					long eden = 0;
					for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
						if (pool.getKey().startsWith("G1 ")) {
							total += pool.getValue().getUsed();
							eden += pool.getKey().contains("Eden") ? pool.getValue().getUsed() : 0;
						}
					}
					System.out.println("CONCURRENT " + event.heapAfter() + " " + total + " " + eden);
				}
				synchronized (phases) {
					if (phases.accept(event, CollectorModel.classify(event))) {
						System.out.println("PHASEMIXED " + event.heapAfter());
					}
				}
			}, null, null);
		}
		try (G1ConcurrentCycleWatch watch = G1ConcurrentCycleWatch.start((time, old) -> {
		}, (time, heapUsed) -> {
					System.out.println("MIXED " + time + " " + heapUsed);
					mixed.incrementAndGet();
				})) {
			if (watch == null) {
				System.out.println("NOJFR");
				return;
			}
			// 60 MB in 1 KB arrays, promoted at the first young pause (MaxTenuringThreshold=0), then every
			// other one dropped: old regions half live.
			List<byte[]> kept = new ArrayList<>();
			for (int i = 0; i < 60_000; i++) {
				kept.add(new byte[1000]);
			}
			churn(200);
			for (int i = 0; i < kept.size(); i += 2) {
				kept.set(i, null);
			}
			long deadline = System.currentTimeMillis() + 40_000;
			while (mixed.get() < 2 && System.currentTimeMillis() < deadline) {
				System.gc(); // a concurrent cycle, with -XX:+ExplicitGCInvokesConcurrent
				churn(400);
				Thread.sleep(500);
			}
			// Markings while another thread allocates: their Remark finds eden filled since the last young pause.
			Thread allocating = new Thread(() -> {
				while (!Thread.currentThread().isInterrupted()) {
					churn(16);
				}
			});
			allocating.start();
			for (int i = 0; i < 3; i++) {
				System.gc();
				Thread.sleep(300);
			}
			allocating.interrupt();
			allocating.join();
			Thread.sleep(3000); // JFR delivers about once a second
			System.out.println("KEPT " + kept.size());
		}
	}

	private static volatile Object sink;

	private static void churn(int megabytes) {
		for (int i = 0; i < megabytes * 16; i++) {
			sink = new byte[64 * 1024];
		}
	}

}
