package io.leakwatch.core;

/**
 * Tells G1's mixed collections from its other young pauses on JDK 20 and later, from the notifications
 * alone.
 *
 * <p>
 * G1 reports mixed collections as young pauses on the {@code G1 Young Generation} bean, and the pools
 * cannot tell them from a young pause that only freed humongous regions: the old generation shrinks in
 * both. The order can. G1 collects old regions only in the mixed phase that follows a completed
 * concurrent marking, whose Remark and Cleanup pauses JDK 20 and later report on the
 * {@code G1 Concurrent GC} bean; a young pause that frees humongous regions needs no marking (the
 * corpus's humongous arrays free them in every pause, each concurrent start undone, with no Remark in
 * ten minutes). So a young pause is taken for a mixed collection when a Remark or Cleanup came since
 * the last phase ended and its old generation shrank. The phase ends at the first young pause that did
 * not shrink it, except the first after the Cleanup (G1's "Prepare Mixed" pause is young only and
 * promotes), or at a full collection: G1 runs its mixed collections back to back, and a phase left open
 * would take a later young pause that freed humongous regions for one. A mixed collection that
 * promoted more than it evacuated is missed (and ends the phase), and the Prepare Mixed pause is taken
 * for one when it freed regions the marking found empty; checked against the labels of
 * {@code -Xlog:gc} in BENCHMARKS.md.
 *
 * <p>
 * JDK 17 to 19 report no Remark or Cleanup to any bean, so the phase never opens there: JDK Flight
 * Recorder tells those JDKs' mixed collections ({@link G1ConcurrentCycleWatch}).
 *
 * <p>
 * Not thread-safe: feed it every notification in the order the JVM sent them.
 */
final class G1MixedPhases {

	private boolean open;

	private int youngPauses;

	/**
	 * Takes the next collection.
	 * @param event the collection
	 * @param kind its kind as {@link CollectorModel#classify} gave it
	 * @return whether it was a G1 mixed collection
	 */
	boolean accept(GcEvent event, GcKind kind) {
		switch (event.gcName()) {
			case CollectorModel.G1_CONCURRENT -> {
				this.open = true;
				this.youngPauses = 0;
			}
			case "G1 Old Generation" -> this.open = false;
			case "G1 Young Generation" -> {
				this.youngPauses++;
				if (this.open && kind == GcKind.OLD) {
					return true;
				}
				if (this.youngPauses > 1) {
					this.open = false;
				}
			}
			default -> {
			}
		}
		return false;
	}

}
