package io.leakwatch.core;

import io.leakwatch.core.ShenandoahSessions.Session;

/**
 * Which HotSpot collector notifications tell the live heap after an old-generation collection.
 *
 * <p>
 * The rules, by collector bean name:
 * <ul>
 * <li>Serial ({@code Copy} / {@code MarkSweepCompact}) and Parallel ({@code PS Scavenge} /
 * {@code PS MarkSweep}): only the full collection sees the old generation.</li>
 * <li>G1 ({@code G1 Young Generation} / {@code G1 Old Generation} / {@code G1 Concurrent GC} on JDK 20
 * and later): a young pause whose old generation shrank is a mixed collection and evacuated old regions;
 * every other young pause only promoted, and old-gen usage after it climbs between concurrent cycles
 * in every healthy application, so it is not a base. The concurrent cycle's Remark and Cleanup pauses
 * report the old generation after marking freed its empty regions (humongous objects included).</li>
 * <li>ZGC: {@code ZGC Cycles} (single generation, JDK 17 to 22) and {@code ZGC Major Cycles}
 * (generational, JDK 21 and later) mark the whole heap; {@code ZGC Minor Cycles} are young; the
 * {@code ... Pauses} beans report phases of those cycles.</li>
 * <li>Shenandoah: {@code Shenandoah Cycles} marks the whole heap in single-generation mode; in
 * generational mode the same bean reports young, old and global sessions with the same cause. A young
 * cycle is old when the old generation shrank (a mixed collection); an explicit or allocation-failure
 * cause always collects globally; the session that completes an old marking, which
 * {@link ShenandoahSessions} recognises by its pauses, is old, and on JDK 25 the only notification that
 * tells a leak that never shrinks the old generation; the other old-generation sessions (a preempted
 * increment of the marking, coalesce-and-fill) are phases of that marking. {@code Shenandoah Pauses}
 * are phases.</li>
 * </ul>
 * Unknown collectors fall back to the action text ("major" or "minor") so a future collector degrades
 * to memwatch's own rule rather than to silence. The methods taking a {@link ShenandoahSessions.Session}
 * need it only for generational Shenandoah; the others treat every one of its cycles as young or global.
 */
public final class CollectorModel {

	/** G1's bean for the Remark and Cleanup pauses of its concurrent cycle (JDK 20 and later). */
	static final String G1_CONCURRENT = "G1 Concurrent GC";

	private CollectorModel() {
	}

	/**
	 * Classifies one collection.
	 * @param event the collection
	 * @return its kind
	 */
	public static GcKind classify(GcEvent event) {
		return classify(event, Session.OTHER);
	}

	/**
	 * Whether a collector bean's notifications can tell the analysis anything, so that leakwatch listens to
	 * it at all. ZGC's pause beans report only the pauses inside the cycles its cycle beans report, and the
	 * analysis takes them for phases; generational ZGC sends three of them per cycle, up to hundreds a
	 * second under heavy allocation. Each notification leakwatch reads costs the JVM's notification
	 * thread the decoding of its {@code GcInfo}: under generational ZGC on JDK 25 at about 330
	 * notifications a second, leakwatch's listener took 0.95 % of the process's CPU with them (measured in
	 * {@code CorpusOverhead}). Shenandoah's pauses tell its old marking apart, so they are kept.
	 * @param beanName the collector bean's name
	 * @return whether to listen to it
	 */
	public static boolean informs(String beanName) {
		return switch (beanName) {
			case "ZGC Pauses", "ZGC Minor Pauses", "ZGC Major Pauses" -> false;
			default -> true;
		};
	}

	/**
	 * Classifies one collection, knowing what generational Shenandoah's session was.
	 * @param event the collection
	 * @param session what {@link ShenandoahSessions} said of it
	 * @return its kind
	 */
	public static GcKind classify(GcEvent event, Session session) {
		String name = event.gcName();
		switch (name) {
			case "Copy", "PS Scavenge", "ParNew", "ZGC Minor Cycles":
				return GcKind.YOUNG;
			case "MarkSweepCompact", "PS MarkSweep", "G1 Old Generation", G1_CONCURRENT, "ZGC Cycles",
					"ZGC Major Cycles", "ConcurrentMarkSweep":
				return GcKind.OLD;
			case "ZGC Pauses", "ZGC Minor Pauses", "ZGC Major Pauses", "Shenandoah Pauses":
				return GcKind.PHASE;
			case "G1 Young Generation":
				return oldShrank(event) ? GcKind.OLD : GcKind.YOUNG;
			case "Shenandoah Cycles":
				if (!event.hasOldGeneration() || isGlobalShenandoahCycle(event) || session == Session.OLD_MARKING) {
					return GcKind.OLD;
				}
				if (session == Session.OLD_STEP) {
					return GcKind.PHASE;
				}
				return oldShrank(event) ? GcKind.OLD : GcKind.YOUNG;
			default:
				return classifyByAction(event.gcAction());
		}
	}

	/**
	 * Whether the collection compacted (moved) old-generation objects, which memwatch counts as a heap
	 * compaction. G1's Remark and Cleanup only free whole regions.
	 * @param event the collection
	 * @param kind its kind as {@link #classify} returned it
	 * @param session what {@link ShenandoahSessions} said of it
	 * @return whether it compacted the old generation
	 */
	public static boolean compacts(GcEvent event, GcKind kind, Session session) {
		return kind == GcKind.OLD && !G1_CONCURRENT.equals(event.gcName()) && session != Session.OLD_MARKING;
	}

	/**
	 * The base an old collection tells: the heap in use after it, except for generational ZGC, whose young
	 * generation after a major cycle holds everything allocated while the cycle ran (a share that grows
	 * with the machine's load), so its base is the old generation, which the major cycle marked. An
	 * explicit major cycle promotes every live young object, so the old generation then holds all of it.
	 * Generational Shenandoah's old marking is the same case: its young generation holds whatever the
	 * application allocated since the last young cycle (4 to 23 % of the heap in the corpus), so its base
	 * is the old generation.
	 * @param event an old collection
	 * @param session what {@link ShenandoahSessions} said of it
	 * @return the base, in bytes
	 */
	public static long baseOf(GcEvent event, Session session) {
		return (("ZGC Major Cycles".equals(event.gcName()) && event.hasOldGeneration())
				|| session == Session.OLD_MARKING) ? event.oldAfter() : event.heapAfter();
	}

	/**
	 * Whether the collection's base may feed the slow trend. G1's may not: its old generation keeps the
	 * garbage of partly live regions until a mixed collection evacuates them, and G1 starts mixed
	 * collections only once that waste exceeds {@code G1HeapWastePercent} (5 % of the heap), so between
	 * them its bases (Remark, a young pause that freed humongous regions, the mixed collections' own) rise
	 * with the application's promotion rate for minutes, as a slow leak would: the corpus's humongous
	 * arrays under G1 rose 3 MB a minute for three minutes on JDK 17 and 25, with no mixed collection,
	 * and on JDK 25 with no marking at all (each concurrent start was undone). The other collectors mark
	 * and collect the whole heap, or the whole old generation, in each old collection, and so does G1's
	 * full collection (an explicit {@code System.gc()}, or a fallback when evacuation fails), whose base
	 * is exact. G1's mixed collections feed it too: after one, the regions G1 chose to evacuate have shed
	 * their garbage, and what stays is bounded by {@code G1HeapWastePercent}. The pools cannot tell one
	 * from a young pause that only freed humongous regions; the order of the notifications can on JDK 20
	 * and later ({@link G1MixedPhases}), and JDK Flight Recorder before ({@link G1ConcurrentCycleWatch}).
	 * @param event an old collection
	 * @return whether its base suits the slow trend
	 */
	public static boolean suitsSlowTrend(GcEvent event) {
		return !event.gcName().startsWith("G1 ") || freesAllGarbage(event);
	}

	/**
	 * Whether the collection freed every unreachable object in the heap, as the stop-the-world full
	 * collections do. G1's Remark frees only empty regions, and the concurrent collectors leave garbage in
	 * the regions or pages they do not evacuate, so what those free does not bound what died.
	 * @param event the collection
	 * @return whether it freed all garbage
	 */
	public static boolean freesAllGarbage(GcEvent event) {
		return switch (event.gcName()) {
			case "MarkSweepCompact", "PS MarkSweep", "G1 Old Generation" -> true;
			default -> false;
		};
	}

	/**
	 * Generational Shenandoah reports young and global cycles under one bean with one cause; an explicit
	 * collection and an allocation failure are the causes that always run a global cycle.
	 */
	private static boolean isGlobalShenandoahCycle(GcEvent event) {
		String cause = (event.gcCause() != null) ? event.gcCause() : "";
		return cause.equals("System.gc()") || cause.contains("Allocation Failure");
	}

	private static boolean oldShrank(GcEvent event) {
		return event.hasOldGeneration() && event.oldAfter() < event.oldBefore();
	}

	private static GcKind classifyByAction(String action) {
		String lower = (action != null) ? action.toLowerCase(java.util.Locale.ROOT) : "";
		if (lower.contains("major")) {
			return GcKind.OLD;
		}
		if (lower.contains("minor")) {
			return GcKind.YOUNG;
		}
		return GcKind.PHASE;
	}

}
