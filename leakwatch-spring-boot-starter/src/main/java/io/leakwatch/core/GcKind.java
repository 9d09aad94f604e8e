package io.leakwatch.core;

/** How leakwatch counts one collection: the three kinds memwatch's stats distinguish, plus "not a collection". */
public enum GcKind {

	/** A young (incremental) collection: it says nothing certain about the live old generation. */
	YOUNG,

	/** A collection that examined the old generation: what survives it is the base. */
	OLD,

	/** A pause or phase that is part of a collection reported elsewhere (ZGC and Shenandoah pauses). */
	PHASE

}
