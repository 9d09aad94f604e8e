package io.leakwatch.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What keeps one sampled object alive: the GC root JFR's path search started from, then each reference
 * from there to the object. It answers "who holds it", which a histogram cannot.
 *
 * @param root the GC root, or {@code null} when JFR found none within its cutoff
 * @param links the references from the root's side to the object; the first link's holder is the
 * object the root refers to
 * @param targetClass the sampled object's class as Java source spells it
 */
public record ReferenceChain(GcRoot root, List<Link> links, String targetClass) {

	/** Repeating runs shorter than this are printed in full. */
	private static final int MIN_REPEATS = 3;

	/** The longest repeating unit that is folded, in links: {@code LeakyThing.someMethod → Lambda.arg$1}. */
	private static final int MAX_PERIOD = 3;

	public ReferenceChain {
		links = List.copyOf(links);
		Objects.requireNonNull(targetClass, "targetClass");
	}

	/**
	 * The GC root as JFR describes it.
	 *
	 * @param system the root's subsystem, for example {@code Threads}, {@code JNI Global},
	 * {@code Class Loader Data}
	 * @param type the root's kind within it, for example {@code Stack Variable}
	 * @param description what JFR says about the root, for example {@code Thread Name: main}
	 */
	public record GcRoot(String system, String type, String description) {

		@Override
		public String toString() {
			List<String> parts = new ArrayList<>();
			for (String part : new String[] { this.system, this.type, this.description }) {
				if (part != null && !part.isEmpty()) {
					parts.add(part);
				}
			}
			return String.join(", ", parts);
		}

	}

	/**
	 * One reference on the way to the object.
	 *
	 * @param holder the class of the object holding the reference, as Java source spells it; for a static
	 * field, the class declaring it
	 * @param field the field holding the reference, or {@code null} for an array element or skipped
	 * references
	 * @param staticField whether {@code field} is static
	 * @param index the array element holding the reference, or {@code -1}
	 * @param skipped how many references JFR left out here to keep a long chain small (it keeps the ends
	 * near the root and near the object); when not zero, holder is the object before the gap
	 */
	public record Link(String holder, String field, boolean staticField, int index, long skipped) {

		/** {@code LeakyService.theThing}, {@code Object[][3]}, {@code … 4825 more …}. */
		@Override
		public String toString() {
			if (this.skipped > 0) {
				return "… " + this.skipped + " more …";
			}
			String holder = Frame.simpleName(this.holder);
			if (this.field != null) {
				return holder + "." + this.field;
			}
			return holder + "[" + this.index + "]";
		}

		/** Links alike but for the array index compare equal here, so folding repeats ignores indexes. */
		boolean sameShape(Link other) {
			return this.skipped == 0 && other.skipped == 0 && this.holder.equals(other.holder)
					&& Objects.equals(this.field, other.field) && (this.index < 0) == (other.index < 0);
		}

	}

	/** Whether some link's holder is this class. */
	public boolean passesThrough(String className) {
		for (Link link : this.links) {
			if (link.skipped() == 0 && link.holder().equals(className)) {
				return true;
			}
		}
		return false;
	}

	/** Whether some link is this field of this class. */
	public boolean passesThrough(String className, String field) {
		for (Link link : this.links) {
			if (link.skipped() == 0 && link.holder().equals(className) && field.equals(link.field())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The whole chain with repeating runs folded:
	 * {@code Thread Name: main → Exp.head → (Node.previous) × 98 → … 4825 more … → Node.payload}.
	 */
	@Override
	public String toString() {
		String path = render(0);
		return ((this.root != null) ? "[" + this.root + "] → " : "") + path;
	}

	/**
	 * The part a developer acts on: from the last holder outside the JDK before the chain starts to
	 * repeat (the field that holds a growing chain or collection) to the object, with "… →" in front
	 * when links are left out.
	 */
	public String heldBy() {
		int start = holderIndex();
		return ((start > 0) ? "… → " : "") + render(start);
	}

	/** The holder link a developer acts on, as text: chains that agree on it tell the same story. */
	String holderKey() {
		if (this.links.isEmpty()) {
			return this.targetClass;
		}
		Link link = this.links.get(holderIndex());
		return link.holder() + "." + link.field();
	}

	/**
	 * The link a developer acts on. A leak's chain repeats (a linked structure) or is cut by JFR (a long
	 * one): the holder is the last link outside the JDK before the dominant repeat. Without one, it is the
	 * last link outside the JDK that hands the object to the JDK (a field holding a collection); failing
	 * that, the first link outside the JDK.
	 */
	private int holderIndex() {
		int repeat = dominantRepeat();
		int end = (repeat >= 0) ? repeat : this.links.size();
		for (int i = end - 1; i >= 0; i--) {
			Link link = this.links.get(i);
			if (link.skipped() > 0 || isJdk(link.holder())) {
				continue;
			}
			boolean beforeRepeat = repeat >= 0 && i == end - 1;
			boolean beforeJdk = i + 1 < this.links.size() && this.links.get(i + 1).skipped() == 0
					&& isJdk(this.links.get(i + 1).holder());
			if (beforeRepeat || beforeJdk) {
				return i;
			}
		}
		for (int i = 0; i < end; i++) {
			if (this.links.get(i).skipped() == 0 && !isJdk(this.links.get(i).holder())) {
				return i;
			}
		}
		return 0;
	}

	/**
	 * Where the chain's dominant repeat starts: the run that JFR cut (ending at its first gap), or the
	 * gap itself, or else the run covering the most links; {@code -1} when nothing repeats.
	 */
	private int dominantRepeat() {
		int best = -1;
		int bestLength = 0;
		int i = 0;
		while (i < this.links.size()) {
			if (this.links.get(i).skipped() > 0) {
				return (best >= 0 && best + bestLength == i) ? best : i;
			}
			int period = period(i);
			if (period > 0) {
				int length = period * repeats(i, period);
				boolean beforeGap = i + length < this.links.size() && this.links.get(i + length).skipped() > 0;
				if (length > bestLength || beforeGap) {
					best = i;
					bestLength = length;
				}
				i += length;
			}
			else {
				i++;
			}
		}
		return best;
	}

	private static boolean isJdk(String className) {
		for (String prefix : ProfilerSettings.JDK_PACKAGES) {
			if (className.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	/** The period of a run of at least {@link #MIN_REPEATS} repeats starting here, or 0. */
	private int period(int start) {
		for (int period = 1; period <= MAX_PERIOD; period++) {
			if (repeats(start, period) >= MIN_REPEATS) {
				return period;
			}
		}
		return 0;
	}

	private int repeats(int start, int period) {
		int count = 1;
		while (start + (count + 1) * period <= this.links.size()) {
			boolean same = true;
			for (int k = 0; k < period && same; k++) {
				same = this.links.get(start + k).sameShape(this.links.get(start + count * period + k));
			}
			if (!same) {
				break;
			}
			count++;
		}
		return count;
	}

	private String render(int from) {
		List<String> parts = new ArrayList<>();
		boolean afterField = false;
		int i = from;
		while (i < this.links.size()) {
			Link link = this.links.get(i);
			int period = period(i);
			if (period > 0) {
				int count = repeats(i, period);
				List<String> unit = new ArrayList<>();
				for (int k = 0; k < period; k++) {
					unit.add(this.links.get(i + k).toString());
				}
				parts.add("(" + String.join(" → ", unit) + ") × " + count);
				i += period * count;
				afterField = false;
			}
			else if (afterField && link.field() == null && link.skipped() == 0) {
				// An array right after the field that holds it reads as one step: ArrayList.elementData[3].
				parts.set(parts.size() - 1, parts.get(parts.size() - 1) + "[" + link.index() + "]");
				i++;
				afterField = false;
			}
			else {
				parts.add(link.toString());
				afterField = link.field() != null;
				i++;
			}
		}
		parts.add(Frame.simpleName(this.targetClass));
		return String.join(" → ", parts);
	}

}
