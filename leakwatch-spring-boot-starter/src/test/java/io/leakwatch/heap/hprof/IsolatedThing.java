package io.leakwatch.heap.hprof;

/** A class the dump program loads in two class loaders of the same class, to test how rows tell them apart. */
public final class IsolatedThing {

	int value;

	Object next;

	public IsolatedThing() {
	}

}
