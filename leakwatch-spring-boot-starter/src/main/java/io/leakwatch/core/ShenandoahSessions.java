package io.leakwatch.core;

/**
 * Tells generational Shenandoah's old-generation sessions from its young and global cycles, by the pauses
 * reported before each cycle notification.
 *
 * <p>
 * JDK 25 reports every session of generational Shenandoah as {@code end of GC cycle} on the
 * {@code Shenandoah Cycles} bean with the same cause, and the pools alone cannot tell them apart: a young
 * cycle whose young generation is small and whose objects all survive (a batch job building its data)
 * leaves the young generation as full as it found it, which is what an old marking does (the corpus's
 * batch sawtooth: 1,600 of 3,000 cycles in 35 s). The pauses on the {@code Shenandoah Pauses} bean,
 * which the JVM sends before the notification of the session they belong to, can: every young or global
 * cycle starts with an {@code Init Mark} pause. The old marking is started by a young "bootstrap" cycle
 * and goes on in sessions of its own without one: the session that completes it reports only
 * {@code Final Mark}; a session that a young cycle preempts, and the coalesce-and-fill step that prepares
 * the next marking, report no pause at all. Collectors other than generational Shenandoah are
 * {@link Session#OTHER}.
 *
 * <p>
 * Not thread-safe: feed it every notification, pauses included, in the order the JVM sent them.
 */
public final class ShenandoahSessions {

	/** What a session of generational Shenandoah was. */
	public enum Session {

		/** Not a generational Shenandoah cycle, or a young, global or degenerated one. */
		OTHER,

		/** The session that completed an old marking: one per marking. */
		OLD_MARKING,

		/** Part of an old marking that a young cycle preempted, or the coalesce-and-fill step. */
		OLD_STEP

	}

	private boolean initMark;

	private boolean finalMark;

	private boolean degenerated;

	/**
	 * Takes one notification.
	 * @param event the notification
	 * @return what it was, {@link Session#OTHER} for pauses and other collectors
	 */
	public Session accept(GcEvent event) {
		switch (event.gcName()) {
			case "Shenandoah Pauses" -> {
				String action = (event.gcAction() != null) ? event.gcAction() : "";
				this.initMark |= action.startsWith("Init Mark");
				this.finalMark |= action.startsWith("Final Mark");
				this.degenerated |= !action.startsWith("Init") && !action.startsWith("Final");
				return Session.OTHER;
			}
			case "Shenandoah Cycles" -> {
				Session session = Session.OTHER;
				if (event.hasOldGeneration() && !this.initMark && !this.degenerated) {
					session = this.finalMark ? Session.OLD_MARKING : Session.OLD_STEP;
				}
				this.initMark = false;
				this.finalMark = false;
				this.degenerated = false;
				return session;
			}
			default -> {
				return Session.OTHER;
			}
		}
	}

}
