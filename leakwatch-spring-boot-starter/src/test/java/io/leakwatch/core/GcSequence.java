package io.leakwatch.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds synthetic notification sequences as each HotSpot collector sends them (bean names, actions,
 * causes and pools as observed on JDK 17 and 25), in megabytes, one second apart unless told.
 */
final class GcSequence {

	static final long MB = 1024L * 1024;

	private final List<GcEvent> events = new ArrayList<>();

	private long time = 1_000_000;

	GcSequence at(long millis) {
		this.time = millis;
		return this;
	}

	GcSequence advance(long millis) {
		this.time += millis;
		return this;
	}

	/** A G1 young pause: eden emptied, old gen unchanged or grown by promotion. */
	GcSequence g1Young(long edenBefore, long oldBefore, long oldAfter) {
		return add("G1 Young Generation", "end of minor GC", "G1 Evacuation Pause", edenBefore + oldBefore, oldAfter,
				oldBefore, oldAfter);
	}

	/** A G1 mixed pause: old regions evacuated, so the old generation shrank. */
	GcSequence g1Mixed(long edenBefore, long oldBefore, long oldAfter) {
		return g1Young(edenBefore, oldBefore, oldAfter);
	}

	/** G1's Remark or Cleanup pause on JDK 20 and later: only the old generation is reported. */
	GcSequence g1Concurrent(long oldBefore, long oldAfter) {
		return add("G1 Concurrent GC", "end of concurrent GC pause", "No GC", oldBefore, oldAfter, oldBefore, oldAfter);
	}

	GcSequence g1Full(long heapBefore, long heapAfter) {
		return add("G1 Old Generation", "end of major GC", "G1 Compaction Pause", heapBefore, heapAfter, heapBefore,
				heapAfter);
	}

	GcSequence parallelYoung(long edenBefore, long oldBefore, long oldAfter) {
		return add("PS Scavenge", "end of minor GC", "Allocation Failure", edenBefore + oldBefore, oldAfter, -1, -1);
	}

	GcSequence parallelFull(long heapBefore, long heapAfter) {
		return add("PS MarkSweep", "end of major GC", "Ergonomics", heapBefore, heapAfter, heapBefore, heapAfter);
	}

	GcSequence serialYoung(long edenBefore, long oldBefore, long oldAfter) {
		return add("Copy", "end of minor GC", "Allocation Failure", edenBefore + oldBefore, oldAfter, -1, -1);
	}

	GcSequence serialFull(long heapBefore, long heapAfter) {
		return add("MarkSweepCompact", "end of major GC", "Allocation Failure", heapBefore, heapAfter, heapBefore,
				heapAfter);
	}

	/** JDK 17's single-generation ZGC: a cycle and its three pauses. */
	GcSequence zgcCycle(long heapBefore, long heapAfter) {
		add("ZGC Pauses", "end of GC pause", "Proactive", 0, 0, -1, -1);
		add("ZGC Pauses", "end of GC pause", "Proactive", 0, 0, -1, -1);
		return add("ZGC Cycles", "end of GC cycle", "Proactive", heapBefore, heapAfter, -1, -1);
	}

	GcSequence zgcMinor(long youngBefore, long oldBefore, long youngAfter, long oldAfter) {
		add("ZGC Minor Pauses", "end of GC pause", "Allocation Rate", 0, 0, 0, 0);
		return add("ZGC Minor Cycles", "end of GC cycle", "Allocation Rate", youngBefore + oldBefore,
				youngAfter + oldAfter, oldBefore, oldAfter);
	}

	GcSequence zgcMajor(long youngBefore, long oldBefore, long youngAfter, long oldAfter) {
		add("ZGC Major Pauses", "end of GC pause", "Proactive", 0, 0, 0, 0);
		return add("ZGC Major Cycles", "end of GC cycle", "Proactive", youngBefore + oldBefore, youngAfter + oldAfter,
				oldBefore, oldAfter);
	}

	GcSequence shenandoahCycle(long heapBefore, long heapAfter) {
		add("Shenandoah Pauses", "Init Mark", "Concurrent GC", 0, 0, -1, -1);
		add("Shenandoah Pauses", "Final Mark", "Concurrent GC", 0, 0, -1, -1);
		return add("Shenandoah Cycles", "end of GC cycle", "Concurrent GC", heapBefore, heapAfter, -1, -1);
	}

	/**
	 * Generational Shenandoah's young (or global) cycle: its Init Mark and Final Mark pauses, then the cycle
	 * on the bean that also reports the old generation's sessions, with young and old pools.
	 */
	GcSequence shenandoahGenerational(long youngBefore, long oldBefore, long youngAfter, long oldAfter) {
		pause("Shenandoah Pauses", "Init Mark", "Concurrent GC");
		pause("Shenandoah Pauses", "Final Mark", "Concurrent GC");
		return shenandoahOldStep(youngBefore, oldBefore, youngAfter, oldAfter);
	}

	/** The session that completes generational Shenandoah's old marking: a Final Mark pause, no Init Mark. */
	GcSequence shenandoahOldMarking(long youngBefore, long oldBefore, long youngAfter, long oldAfter) {
		pause("Shenandoah Pauses", "Final Mark", "Concurrent GC");
		return shenandoahOldStep(youngBefore, oldBefore, youngAfter, oldAfter);
	}

	/** An old-generation session with no pause: a preempted increment of the marking, or coalesce-and-fill. */
	GcSequence shenandoahOldStep(long youngBefore, long oldBefore, long youngAfter, long oldAfter) {
		return add("Shenandoah Cycles", "end of GC cycle", "Concurrent GC", youngBefore + oldBefore,
				youngAfter + oldAfter, oldBefore, oldAfter);
	}

	/** A pause within the collection that follows it, at the same time. */
	GcSequence pause(String name, String action, String cause) {
		this.events.add(new GcEvent(name, action, cause, this.time, 1, 0, 0, -1, -1));
		return this;
	}

	GcSequence add(String name, String action, String cause, long before, long after, long oldBefore, long oldAfter) {
		this.events.add(new GcEvent(name, action, cause, this.time, 5, mb(before), mb(after), mb(oldBefore),
				mb(oldAfter)));
		this.time += 1000;
		return this;
	}

	List<GcEvent> events() {
		return this.events;
	}

	long time() {
		return this.time;
	}

	private static long mb(long megabytes) {
		return (megabytes < 0) ? -1 : megabytes * MB;
	}

}
