package io.leakwatch.heap;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import io.leakwatch.core.Sizes;

/**
 * The diffs in progress: bounded in number, each ended automatically (and its resources discarded)
 * when left open past its time to live, and each ended at most once.
 *
 * <p>Ending is two steps so a failed end loses nothing: {@link #claim} takes the entry out (a
 * concurrent second end finds nothing, a 404), then {@link #finish} frees its slot or {@link #restore}
 * puts it back open.
 *
 * @param <T> what an open diff keeps (a baseline histogram, a dump file)
 */
public final class OpenDiffs<T> {

	private static final char[] ID_CHARS = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();

	private final String kind;

	private final int maxOpen;

	private final Duration ttl;

	private final BiConsumer<String, T> discard;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	private final Map<String, Entry<T>> entries = new ConcurrentHashMap<>();

	private final AtomicInteger slots = new AtomicInteger();

	/**
	 * Creates a registry.
	 * @param kind what an entry is, for messages ("histogram diff")
	 * @param maxOpen how many may be open (or being ended) at once
	 * @param ttl how long one may stay open
	 * @param discard releases what an expired or abandoned entry keeps, given its id and value; must not
	 * throw
	 * @param clock the time source
	 */
	public OpenDiffs(String kind, int maxOpen, Duration ttl, BiConsumer<String, T> discard, Clock clock) {
		if (maxOpen < 1) {
			throw new IllegalArgumentException("maxOpen must be at least 1, was " + maxOpen);
		}
		if (ttl.isNegative() || ttl.isZero()) {
			throw new IllegalArgumentException("ttl must be positive, was " + ttl);
		}
		this.kind = kind;
		this.maxOpen = maxOpen;
		this.ttl = ttl;
		this.discard = discard;
		this.clock = clock;
	}

	/**
	 * Reserves room for one more entry before its (costly) snapshot is taken.
	 * @return a slot to {@link #open} or {@link #release}
	 * @throws HeapDiffException BUSY when {@code maxOpen} entries are open
	 */
	public Slot reserve() {
		sweep();
		while (true) {
			int used = this.slots.get();
			if (used >= this.maxOpen) {
				throw new HeapDiffException(HeapDiffException.Reason.BUSY, "Too many open " + this.kind + "s: "
						+ used + " of " + this.maxOpen + "; end one, or wait until one expires (after "
						+ Sizes.duration(this.ttl) + ")");
			}
			if (this.slots.compareAndSet(used, used + 1)) {
				return new Slot(newId());
			}
		}
	}

	/**
	 * Gives up a reserved slot whose snapshot failed.
	 * @param slot the slot
	 */
	public void release(Slot slot) {
		this.slots.decrementAndGet();
	}

	/**
	 * Opens an entry in a reserved slot.
	 * @param slot the slot
	 * @param value what the entry keeps
	 * @return the entry
	 */
	public Entry<T> open(Slot slot, T value) {
		Instant now = this.clock.instant();
		Entry<T> entry = new Entry<>(slot.id(), value, now, now.plus(this.ttl));
		this.entries.put(entry.id(), entry);
		return entry;
	}

	/**
	 * Takes an entry out to end it; only one caller gets it.
	 * @param id the entry's id
	 * @return the entry
	 * @throws HeapDiffException NOT_FOUND when no open entry has this id
	 */
	public Entry<T> claim(String id) {
		sweep();
		Entry<T> entry = (id != null) ? this.entries.remove(id) : null;
		if (entry == null) {
			throw notFound(id);
		}
		return entry;
	}

	/**
	 * Looks an open entry up without claiming it.
	 * @param id the entry's id
	 * @return the entry
	 * @throws HeapDiffException NOT_FOUND when no open entry has this id
	 */
	public Entry<T> get(String id) {
		sweep();
		Entry<T> entry = (id != null) ? this.entries.get(id) : null;
		if (entry == null) {
			throw notFound(id);
		}
		return entry;
	}

	/**
	 * Frees the slot of a claimed entry that has ended.
	 * @param entry the entry
	 */
	public void finish(Entry<T> entry) {
		this.slots.decrementAndGet();
	}

	/**
	 * Puts a claimed entry back open because ending it failed: a failed end must not lose the diff.
	 * @param entry the entry
	 */
	public void restore(Entry<T> entry) {
		this.entries.put(entry.id(), entry);
	}

	/** The open entries, oldest first. */
	public List<Entry<T>> list() {
		sweep();
		List<Entry<T>> list = new ArrayList<>(this.entries.values());
		list.sort(Comparator.comparing(Entry::startedAt));
		return list;
	}

	/** Ends and discards every entry open past its time to live. */
	public void sweep() {
		Instant now = this.clock.instant();
		for (Entry<T> entry : this.entries.values()) {
			if (!now.isBefore(entry.expiresAt()) && this.entries.remove(entry.id(), entry)) {
				discard(entry);
			}
		}
	}

	/** Discards every open entry (at shutdown). */
	public void clear() {
		for (Entry<T> entry : this.entries.values()) {
			if (this.entries.remove(entry.id(), entry)) {
				discard(entry);
			}
		}
	}

	/** How long an entry may stay open. */
	public Duration ttl() {
		return this.ttl;
	}

	private void discard(Entry<T> entry) {
		try {
			this.discard.accept(entry.id(), entry.value());
		}
		finally {
			this.slots.decrementAndGet();
		}
	}

	private HeapDiffException notFound(String id) {
		return new HeapDiffException(HeapDiffException.Reason.NOT_FOUND, "No open " + this.kind + " with id '" + id
				+ "': it was never started, was already ended, or expired after " + Sizes.duration(this.ttl));
	}

	private String newId() {
		char[] id = new char[12];
		for (int i = 0; i < id.length; i++) {
			id[i] = ID_CHARS[this.random.nextInt(ID_CHARS.length)];
		}
		return new String(id);
	}

	/**
	 * Room reserved for one entry.
	 *
	 * @param id the id the entry will have
	 */
	public record Slot(String id) {
	}

	/**
	 * One open diff.
	 *
	 * @param <T> what it keeps
	 * @param id its id
	 * @param value what it keeps
	 * @param startedAt when it was opened
	 * @param expiresAt when it is ended automatically
	 */
	public record Entry<T>(String id, T value, Instant startedAt, Instant expiresAt) {
	}

}
