package io.leakwatch.sample;

/**
 * The seed's {@code theThing}: a ~1 MB string and a closure. In V8 every closure of a scope shares one
 * context, so {@code someMethod} kept {@code originalThing} alive although only {@code unused} read it;
 * a Java lambda captures only what it reads, so here {@code someMethod} is the closure that reads the
 * previous thing.
 */
final class LeakyThing {

	private final String longStr;

	private final Runnable someMethod;

	LeakyThing(String longStr, Runnable someMethod) {
		this.longStr = longStr;
		this.someMethod = someMethod;
	}

	int length() {
		return this.longStr.length();
	}

	void someMethod() {
		this.someMethod.run();
	}

}
