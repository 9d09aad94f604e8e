package io.leakwatch.core;

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
 * generational mode the same bean reports young, old and global cycles with the same cause, told apart
 * by whether the old generation shrank, by an explicit or allocation-failure cause, which always
 * collects globally, or by a young generation the cycle left as it found it: the old marking and its
 * coalesce-and-fill step are reported as cycles that collect nothing young, and they are the only
 * notifications a leak that never shrinks the old generation produces (JDK 25).
 * {@code Shenandoah Pauses} are phases.</li>
 * </ul>
 * Unknown collectors fall back to the action text ("major" or "minor") so a future collector degrades
 * to memwatch's own rule rather than to silence.
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
				return (!event.hasOldGeneration() || oldShrank(event) || isGlobalShenandoahCycle(event)
						|| isShenandoahOldCycle(event)) ? GcKind.OLD : GcKind.YOUNG;
			default:
				return classifyByAction(event.gcAction());
		}
	}

	/**
	 * Whether the collection compacted (moved) old-generation objects, which memwatch counts as a heap
	 * compaction. G1's Remark and Cleanup only free whole regions.
	 * @param event the collection
	 * @param kind its kind as {@link #classify} returned it
	 * @return whether it compacted the old generation
	 */
	public static boolean compacts(GcEvent event, GcKind kind) {
		return kind == GcKind.OLD && !G1_CONCURRENT.equals(event.gcName()) && !isShenandoahOldCycle(event);
	}

	/**
	 * The base an old collection tells: the heap in use after it, except for generational ZGC, whose young
	 * generation after a major cycle holds everything allocated while the cycle ran (a share that grows
	 * with the machine's load), so its base is the old generation, which the major cycle marked. An
	 * explicit major cycle promotes every live young object, so the old generation then holds all of it.
	 * Generational Shenandoah's old cycle is the same case: its young generation holds whatever the
	 * application allocated since the last young cycle (4 to 23 % of the heap in the corpus), so its base
	 * is the old generation.
	 * @param event an old collection
	 * @return the base, in bytes
	 */
	public static long baseOf(GcEvent event) {
		return (("ZGC Major Cycles".equals(event.gcName()) && event.hasOldGeneration())
				|| isShenandoahOldCycle(event)) ? event.oldAfter() : event.heapAfter();
	}

	/**
	 * Whether the collection is generational Shenandoah's old marking (or the coalesce-and-fill step after
	 * it): a {@code Shenandoah Cycles} notification with an old generation that freed less than a quarter
	 * of the young generation and did not shrink the old one. A young cycle empties most of the young
	 * generation (it evacuates survivors, promoting the old enough ones); an old cycle only marks the old
	 * generation and leaves its dead objects for later mixed collections.
	 * @param event the collection
	 * @return whether it is an old cycle of generational Shenandoah
	 */
	public static boolean isShenandoahOldCycle(GcEvent event) {
		if (!"Shenandoah Cycles".equals(event.gcName()) || !event.hasOldGeneration() || oldShrank(event)
				|| isGlobalShenandoahCycle(event)) {
			return false;
		}
		long youngBefore = event.heapBefore() - event.oldBefore();
		long youngAfter = event.heapAfter() - event.oldAfter();
		return youngBefore - youngAfter < youngBefore / 4;
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
