package io.leakwatch;

import io.leakwatch.core.HeapStats;
import org.springframework.context.ApplicationEvent;

/**
 * Published after every base sample: memwatch's {@code stats} event. One per old-generation
 * collection, so rare, and Spring's listener lookup is cached per event type, so it costs next to
 * nothing when nobody listens.
 */
public final class HeapStatsEvent extends ApplicationEvent {

	private final HeapStats stats;

	/**
	 * Creates an event.
	 * @param source the component that published it
	 * @param stats the stats after the sample
	 */
	public HeapStatsEvent(Object source, HeapStats stats) {
		super(source);
		this.stats = stats;
	}

	/** The stats after the sample. */
	public HeapStats getStats() {
		return this.stats;
	}

}
