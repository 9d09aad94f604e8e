package io.leakwatch.heap.hprof;

/**
 * An open-addressing map from object ids to small ints, because the parser looks one up for every
 * object in the dump and a {@code HashMap<Long, Integer>} would box each lookup.
 */
final class LongIntMap {

	static final int MISSING = -1;

	private long[] keys;

	private int[] values;

	private int mask;

	private int shift;

	private int size;

	/** Id 0 is the null id of the hprof format; kept aside so 0 can mark a free slot. */
	private int zeroValue = MISSING;

	LongIntMap(int expected) {
		int capacity = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
		allocate(capacity);
	}

	private void allocate(int capacity) {
		this.keys = new long[capacity];
		this.values = new int[capacity];
		this.mask = capacity - 1;
		this.shift = 64 - Integer.numberOfTrailingZeros(capacity);
	}

	/** The slots, for a caller that probes inline in its hot loop (see {@link #slot}); reload after a put. */
	long[] keys() {
		return this.keys;
	}

	int[] values() {
		return this.values;
	}

	int shift() {
		return this.shift;
	}

	static final long HASH = 0x9E3779B97F4A7C15L;

	int size() {
		return this.size + ((this.zeroValue != MISSING) ? 1 : 0);
	}

	int get(long key) {
		if (key == 0) {
			return this.zeroValue;
		}
		long[] keys = this.keys;
		int slot = slot(key);
		while (true) {
			long k = keys[slot];
			if (k == key) {
				return this.values[slot];
			}
			if (k == 0) {
				return MISSING;
			}
			slot = (slot + 1) & this.mask;
		}
	}

	/** Stores the value (never {@link #MISSING}) for the key, replacing any previous one. */
	void put(long key, int value) {
		if (key == 0) {
			this.zeroValue = value;
			return;
		}
		int slot = slot(key);
		while (true) {
			long k = this.keys[slot];
			if (k == key) {
				this.values[slot] = value;
				return;
			}
			if (k == 0) {
				this.keys[slot] = key;
				this.values[slot] = value;
				if (++this.size * 2 > this.keys.length) {
					grow();
				}
				return;
			}
			slot = (slot + 1) & this.mask;
		}
	}

	private int slot(long key) {
		// Ids are addresses, aligned and clustered: a multiplicative hash spreads their high bits.
		return (int) ((key * HASH) >>> this.shift);
	}

	private void grow() {
		long[] oldKeys = this.keys;
		int[] oldValues = this.values;
		allocate(oldKeys.length * 2);
		this.size = 0;
		for (int i = 0; i < oldKeys.length; i++) {
			if (oldKeys[i] != 0) {
				put(oldKeys[i], oldValues[i]);
			}
		}
	}

}
